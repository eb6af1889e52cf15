// libFuzzer target: arbitrary bytes as an original IoTaWatt datalog (iotalog.log, histlog.log),
// which `iotawatt import` reads from whatever file a user names. The input is written to a
// file in a private temporary directory; then, as the CLI does, its layout is detected and it
// is imported into a fresh datalog there. Nothing may crash, hang or trip a sanitizer; a file
// without records is refused by the import, a damaged one never is, and the report must add up:
//   records_read    == whole records of the file minus trailing preformatted ones
//   partial_bytes   == the torn tail, less than one record
//   imported + damaged + skipped_* <= records_read, damage listed up to max_listed
//   imported > 0    -> the datalog's last record is the report's imported_last
// Every whole 256-byte record also goes through decode_iota_log_record on its own.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "datalog/iotawatt_import.h"
#include "datalog/log.h"

namespace {

namespace datalog = iw::datalog;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "iotawatt_import_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// A directory of this process, under /dev/shm when there is one (the datalog fsyncs). The
// name is never freed: the exit handler that removes the directory runs after static
// destructors.
const std::string& work_dir() {
  static const std::string* dir = [] {
    auto* name = new std::string(std::filesystem::is_directory("/dev/shm") ? "/dev/shm/iotawatt_import_fuzz.XXXXXX"
                                                                           : "/tmp/iotawatt_import_fuzz.XXXXXX");
    if (::mkdtemp(name->data()) == nullptr) fail("cannot make a temporary directory");
    std::atexit([] { std::filesystem::remove_all(work_dir()); });
    return name;
  }();
  return *dir;
}

void check_report(const datalog::ImportReport& r, size_t size, const datalog::Log& log) {
  const auto whole = static_cast<int64_t>(size / datalog::kIotaRecordBytes);
  if (r.file_bytes != static_cast<int64_t>(size)) fail("file_bytes is not the file's size", r.summary());
  if (r.partial_bytes != static_cast<int64_t>(size % datalog::kIotaRecordBytes))
    fail("wrong partial_bytes", r.summary());
  if (r.records_read + r.preformatted != whole || r.records_read < 0 || r.preformatted < 0) {
    fail("records_read and preformatted do not add up to the file", r.summary());
  }
  if (r.imported < 0 || r.damaged < 0 || r.skipped_existing < 0 || r.skipped_off_grid < 0 ||
      r.imported + r.damaged + r.skipped_existing + r.skipped_off_grid > r.records_read) {
    fail("more records imported or skipped than read", r.summary());
  }
  if (r.damage.size() > static_cast<size_t>(r.damaged)) fail("more damage listed than counted", r.summary());
  if (r.layout.size() != datalog::kIotaChannels || r.channels.size() != datalog::kIotaChannels) {
    fail("a layout or totals not of 15 channels", r.summary());
  }
  if (r.wrapped && (r.wrap_offset <= 0 || r.wrap_offset >= whole * static_cast<int64_t>(datalog::kIotaRecordBytes))) {
    fail("a wrap outside the file", r.summary());
  }
  if (r.imported > 0) {
    if (!r.imported_first || !r.imported_last || *r.imported_first > *r.imported_last) {
      fail("imported records without their range", r.summary());
    }
    if (log.last_time() != r.imported_last) fail("the datalog does not end at the last imported record", r.summary());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Records before the trailing preformatted ones (serial 0), which are not part of the log.
  size_t records = 0;
  for (size_t i = 0; i < size / datalog::kIotaRecordBytes; ++i) {
    if (datalog::decode_iota_log_record(data + i * datalog::kIotaRecordBytes).serial != 0) records = i + 1;
  }

  const std::string file = work_dir() + "/iotalog.log";
  const std::string dir = work_dir() + "/log";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) fail("cannot write the input file");
  }
  const auto layout = datalog::detect_iotawatt_layout(file);
  if (!layout.ok()) fail("a readable file refused", layout.error());
  if (layout->size() != datalog::kIotaChannels) fail("a detected layout not of 15 channels");

  std::filesystem::remove_all(dir);
  auto log = datalog::Log::Open(dir, datalog::current_log_options(layout.value()));
  if (!log.ok()) fail("cannot open the target datalog", log.error());
  datalog::ImportOptions options;
  options.max_listed = 4;
  if (size % 2 == 0) options.layout = layout.value();  // half the inputs also detect inside the import
  const auto report = datalog::import_iotawatt_log(file, *log.value(), options);
  if (records == 0) {
    if (report.ok()) fail("a file without records imported");
    return 0;
  }
  if (!report.ok()) fail("a readable file refused", report.error());
  check_report(report.value(), size, *log.value());
  if (report->summary().empty()) fail("an empty summary");
  return 0;
}
