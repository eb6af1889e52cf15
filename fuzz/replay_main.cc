// A main for a fuzz target in the ordinary (GCC) builds: runs the target's
// LLVMFuzzerTestOneInput once on every file named on the command line, or found directly in a
// directory named there, in name order. A target reports a broken property by aborting, and
// the sanitizers (ASan build) by stopping the process, so the ctest that runs this over the
// seed corpus fails the same way a fuzzing run would, and a fuzz target that no longer builds
// fails the release build instead of only the late fuzzing stage.
//   <target>_replay fuzz/corpus/<target>/
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::filesystem::path> inputs_of(const std::filesystem::path& arg) {
  if (!std::filesystem::is_directory(arg)) return {arg};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(arg)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const std::filesystem::path& file : inputs_of(argv[i])) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
        return 2;
      }
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  if (replayed == 0) {
    std::fprintf(stderr, "replay: no inputs (give files or directories of inputs)\n");
    return 2;
  }
  std::printf("replay: %zu inputs, no failure\n", replayed);
  return 0;
}
