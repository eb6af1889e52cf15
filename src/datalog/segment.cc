#include "datalog/segment.h"

#include <cstring>

namespace iw::datalog {

Segment::Segment(std::unique_ptr<File> file, format::SegmentHeader header)
    : file_(std::move(file)), path_(file_->path()), header_(std::move(header)) {}

Result<std::shared_ptr<Segment>> Segment::Open(Env* env, const std::string& path, bool writable, int64_t span_slots) {
  auto file = env->open_file(path, writable ? Env::OpenMode::kReadWrite : Env::OpenMode::kRead);
  if (!file.ok()) return file.status();
  std::vector<uint8_t> buf(format::header_size(format::kMaxChannels));
  size_t got = 0;
  Status st = file.value()->read_at(0, buf.data(), buf.size(), &got);
  if (!st.ok()) return st;
  auto header = format::decode_header(buf.data(), got, span_slots);
  if (!header.ok()) return Status::Corruption(path + ": bad header: " + header.error());
  const auto slash = path.rfind('/');
  int64_t named_start = -1;
  if (!format::parse_segment_name(path.substr(slash == std::string::npos ? 0 : slash + 1), &named_start) ||
      named_start != header->start) {
    return Status::Corruption(path + ": bad header: start " + std::to_string(header->start) +
                              " does not match the file name");
  }
  return std::shared_ptr<Segment>(new Segment(std::move(file.value()), std::move(header.value())));
}

Result<std::shared_ptr<Segment>> Segment::Create(Env* env, const std::string& dir,
                                                 const format::SegmentHeader& header) {
  const std::string path = dir + "/" + format::segment_name(header.start);
  const std::string tmp = path + std::string(format::kTmpSuffix);
  auto exists = env->exists(path);
  if (!exists.ok()) return exists.status();
  if (exists.value()) {
    // Left by an earlier Create whose directory sync failed: take it if it is the same segment.
    auto existing = Open(env, path, true, 0);
    if (existing.ok() && existing.value()->header().slot_count == header.slot_count &&
        existing.value()->header().interval_s == header.interval_s &&
        existing.value()->header().layout == header.layout) {
      return existing;
    }
    return Status::InvalidArgument("cannot create " + path + ": another segment with that start exists");
  }
  auto file = env->open_file(tmp, Env::OpenMode::kTruncate, 0644);
  if (!file.ok()) return file.status();
  std::vector<uint8_t> bytes(header.header_size);
  format::encode_header(header, bytes.data());
  size_t done = 0;
  Status st = file.value()->write_at(0, bytes.data(), bytes.size(), &done);
  if (st.ok()) st = file.value()->sync_all();
  if (st.ok()) st = env->rename(tmp, path);
  if (!st.ok()) {
    file.value().reset();
    // Holds no record, only the header we just tried to write. Best effort: a .tmp left
    // behind is removed by the next open.
    (void)env->remove(tmp);
    return st;
  }
  st = env->sync_dir(dir);
  if (!st.ok()) return st;
  // The open file is now the segment: a rename keeps the descriptor, only its name changed.
  auto reopened = env->open_file(path, Env::OpenMode::kReadWrite);
  if (!reopened.ok()) return reopened.status();
  return std::shared_ptr<Segment>(new Segment(std::move(reopened.value()), header));
}

Status Segment::read_slots(int64_t first, int64_t count, std::vector<uint8_t>* buf) const {
  const auto bytes = static_cast<size_t>(count * record_size());
  buf->resize(bytes);
  size_t got = 0;
  Status st = file_->read_at(header_.slot_offset(first), buf->data(), bytes, &got);
  if (!st.ok()) return st;
  if (got < bytes) std::memset(buf->data() + got, 0, bytes - got);
  return Status::Ok();
}

Status Segment::write_slots(int64_t first, int64_t count, const uint8_t* data) {
  const int64_t offset = header_.slot_offset(first);
  size_t done = 0;
  Status st = file_->write_at(offset, data, static_cast<size_t>(count * record_size()), &done);
  if (st.ok()) return st;
  // Undo the part that was written so the slot reads as empty, not damaged. Best effort; it
  // needs no new space (truncating frees it; zeroes go over bytes just written). When the
  // file now ends within what we wrote, everything from the slot on is ours (or was never a
  // good record: appends go after the last one), so truncate to the slot.
  auto size = file_->size();
  if (size.ok() && size.value() <= offset + static_cast<int64_t>(done)) {
    // Best effort: if it fails, the CRC marks what is left as damaged.
    if (size.value() > offset) (void)file_->truncate(offset);
  } else if (done > 0) {
    std::vector<uint8_t> zeros(done, 0);
    size_t ignored = 0;
    // Best effort: the write error is what the caller must see; if the zeroing fails too, the
    // CRC marks what is left as damaged, so no reader takes it for a record.
    (void)file_->write_at(offset, zeros.data(), done, &ignored);
  }
  return st;
}

Status Segment::clear_slots(int64_t first, int64_t count) {
  auto size = file_size();
  if (!size.ok()) return size.status();
  const int64_t begin = header_.slot_offset(first);
  const int64_t end = header_.slot_offset(first + count);
  if (begin >= size.value()) return Status::Ok();
  if (end >= size.value()) return truncate(begin);
  std::vector<uint8_t> zeros(static_cast<size_t>(end - begin), 0);
  size_t done = 0;
  return file_->write_at(begin, zeros.data(), zeros.size(), &done);
}

Status Segment::truncate(int64_t size) { return file_->truncate(size); }

Status Segment::sync() { return file_->sync(); }

Result<int64_t> Segment::file_size() const { return file_->size(); }

Result<int64_t> Segment::slots_in_file() const {
  auto size = file_size();
  if (!size.ok()) return size.status();
  const int64_t room = size.value() - header_.header_size;
  if (room <= 0) return int64_t{0};
  // A partial last slot counts: it may hold a torn record that check must see.
  const int64_t slots = (room + record_size() - 1) / record_size();
  return slots < slot_count() ? slots : slot_count();
}

}  // namespace iw::datalog
