#include "datalog/source_mark.h"

#include <filesystem>

#include "base/files.h"

namespace iw::datalog {
namespace {

struct Named {
  DataSource source;
  std::string_view word;         // in the file
  std::string_view description;  // in messages
};
constexpr Named kNames[] = {
    {DataSource::kAdc, "adc", "an ADC board"},
    {DataSource::kSimulator, "simulator", "the simulator"},
    {DataSource::kReplay, "replay", "a replay file"},
};
constexpr size_t kMaxMarkBytes = 64;  // one short word

const Named& named(DataSource source) {
  for (const Named& n : kNames) {
    if (n.source == source) return n;
  }
  return kNames[0];  // unreachable: every enumerator has a row
}

}  // namespace

std::string_view to_string(DataSource source) { return named(source).word; }
std::string_view describe(DataSource source) { return named(source).description; }

std::string source_mark_path(const std::string& datalog_dir) { return datalog_dir + "/SOURCE"; }

Result<std::optional<DataSource>> read_source_mark(const std::string& datalog_dir) {
  const std::string path = source_mark_path(datalog_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return std::optional<DataSource>();
  Result<std::string> text = read_file(path, kMaxMarkBytes);
  if (!text) return text.status();
  std::string word = text.value();
  while (!word.empty() && (word.back() == '\n' || word.back() == '\r' || word.back() == ' ')) word.pop_back();
  for (const Named& n : kNames) {
    if (word == n.word) return std::optional<DataSource>(n.source);
  }
  return Status::InvalidArgument(path + ": \"" + word.substr(0, 20) + "\" is not adc, simulator or replay");
}

Status write_source_mark(const std::string& datalog_dir, DataSource source) {
  std::error_code ec;
  std::filesystem::create_directories(datalog_dir, ec);
  if (ec) return Status::IOError(datalog_dir + ": cannot create: " + ec.message());
  return write_private_file(source_mark_path(datalog_dir), std::string(to_string(source)) + "\n");
}

}  // namespace iw::datalog
