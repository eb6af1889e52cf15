#include "datalog/stop_record.h"

#include <filesystem>
#include <vector>

#include "base/files.h"
#include "datalog/format.h"

namespace iw::datalog {
namespace {

// A header of kMaxChannels channels and a record of as many current channels, with room over.
constexpr size_t kMaxStopRecordBytes = 64 * 1024;

// Whole micro-units, rounded up: a counter resumed from the record is never below the value
// last published (/metrics, MQTT), whose residual the record cannot hold.
void round_up(measure::Counter& c) {
  if (c.residual_micros() > 0) c.set(c.micros() + 1);
}

}  // namespace

std::string stop_record_path(const std::string& datalog_dir) { return datalog_dir + "/STOP"; }

Status write_stop_record(const std::string& datalog_dir, const Layout& layout, Record record) {
  if (layout.size() > format::kMaxChannels) return Status::InvalidArgument("stop record: too many channels");
  if (record.time < 0) return Status::InvalidArgument("stop record: negative time");
  record.channels.resize(layout.size());
  for (measure::ChannelCounters& c : record.channels) {
    for (auto member : kStoredCounters) round_up(c.*member);
  }
  const format::SegmentHeader header = format::make_header(record.time, 1, 1, layout);
  std::vector<uint8_t> bytes(header.file_bytes());
  format::encode_header(header, bytes.data());
  format::encode_record(layout, record, bytes.data() + header.header_size);
  std::error_code ec;
  std::filesystem::create_directories(datalog_dir, ec);
  if (ec) return Status::IOError(datalog_dir + ": cannot create: " + ec.message());
  return write_private_file(stop_record_path(datalog_dir),
                            std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Result<std::optional<Record>> read_stop_record(const std::string& datalog_dir) {
  const std::string path = stop_record_path(datalog_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return std::optional<Record>();
  Result<std::string> text = read_file(path, kMaxStopRecordBytes);
  if (!text) return text.status();
  const auto* data = reinterpret_cast<const uint8_t*>(text.value().data());
  const size_t size = text.value().size();
  auto header = format::decode_header(data, size, 0);
  if (!header) return header.status().with_context(path);
  const format::SegmentHeader& h = header.value();
  if (h.interval_s != 1 || h.slot_count != 1 || size != static_cast<size_t>(h.file_bytes())) {
    return Status::Corruption(path + ": not a stop record (a one-slot segment of 1 s)");
  }
  Record record;
  if (format::decode_record(h.layout, data + h.header_size, h.record_size, h.start, &record) !=
      format::SlotState::kGood) {
    return Status::Corruption(path + ": record damaged");
  }
  return std::optional<Record>(std::move(record));
}

}  // namespace iw::datalog
