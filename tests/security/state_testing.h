// Helpers for the security tests of the daemon's own files and of the JSON it reads: hostile
// documents, what is on disk, and whether sampling went on after an attack.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "security/security_testing.h"

namespace iw::testing {

// `levels` unclosed {"a": : 100 000 of them are 600 KB, under the 1 MiB body cap. Any parser
// that builds the value overflows the stack copying, dumping or freeing it.
inline std::string deep_json(int levels = 100000) {
  std::string text;
  text.reserve(static_cast<size_t>(levels) * 5);
  for (int i = 0; i < levels; ++i) text += "{\"a\":";
  return text;
}

inline std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void put_file(const std::string& path, const std::string& text, mode_t mode = 0644) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  ::chmod(path.c_str(), mode);
}

// Permission bits of `path` (0644), or -1 when it does not exist.
inline int mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// Names in `dir` that start with `prefix` ("config.txt.bad-").
inline std::vector<std::string> files_starting(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.push_back(name);
  }
  return out;
}

// True when /status?stats shows more measured cycles than `before` within 10 s: sampling
// goes on.
inline bool sampling_goes_on(const SecurityDaemon& d, long long before) {
  for (int i = 0; i < 100; ++i) {
    if (d.cycles() > before) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// A test against one daemon started before it; `before_` is its cycle count at the start.
class RunningDaemonTest : public ::testing::Test {
 protected:
  explicit RunningDaemonTest(const std::string& name) : daemon_(name) {}
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(daemon_.start(&why)) << why;
    before_ = daemon_.cycles();
    ASSERT_GE(before_, 0);
  }
  // The daemon survived and still measures.
  void ExpectUnharmed() {
    EXPECT_TRUE(daemon_.alive()) << daemon_.process().log();
    EXPECT_TRUE(sampling_goes_on(daemon_, before_));
  }
  SecurityDaemon daemon_;
  long long before_ = -1;
};

}  // namespace iw::testing
