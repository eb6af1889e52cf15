#include "datalog/segment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace iw::datalog {

namespace {

Status pread_all(int fd, uint8_t* data, size_t size, int64_t offset, size_t* got, const std::string& path) {
  *got = 0;
  while (*got < size) {
    const ssize_t n = ::pread(fd, data + *got, size - *got, static_cast<off_t>(offset) + *got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("cannot read", path, errno);
    }
    if (n == 0) break;  // end of file
    *got += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Writes everything or reports how much was written before the error.
Status pwrite_all(int fd, const uint8_t* data, size_t size, int64_t offset, size_t* done, const std::string& path) {
  *done = 0;
  while (*done < size) {
    const ssize_t n = ::pwrite(fd, data + *done, size - *done, static_cast<off_t>(offset) + *done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("cannot write", path, errno);
    }
    *done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

Status errno_status(const std::string& what, const std::string& path, int err) {
  return Status::IOError(what + " " + path + ": " + std::strerror(err));
}

Status sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open directory", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return errno_status("cannot sync directory", dir, err);
  return Status::Ok();
}

Segment::Segment(std::string path, int fd, format::SegmentHeader header)
    : path_(std::move(path)), fd_(fd), header_(std::move(header)) {}

Segment::~Segment() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::shared_ptr<Segment>> Segment::Open(const std::string& path, bool writable, int64_t span_slots) {
  const int fd = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open", path, errno);
  std::vector<uint8_t> buf(format::header_size(format::kMaxChannels));
  size_t got = 0;
  Status st = pread_all(fd, buf.data(), buf.size(), 0, &got, path);
  if (!st.ok()) {
    ::close(fd);
    return st;
  }
  auto header = format::decode_header(buf.data(), got, span_slots);
  if (!header.ok()) {
    ::close(fd);
    return Status::Corruption(path + ": bad header: " + header.error());
  }
  const auto slash = path.rfind('/');
  int64_t named_start = -1;
  if (!format::parse_segment_name(path.substr(slash == std::string::npos ? 0 : slash + 1), &named_start) ||
      named_start != header->start) {
    ::close(fd);
    return Status::Corruption(path + ": bad header: start " + std::to_string(header->start) +
                              " does not match the file name");
  }
  return std::shared_ptr<Segment>(new Segment(path, fd, std::move(header.value())));
}

Result<std::shared_ptr<Segment>> Segment::Create(const std::string& dir, const format::SegmentHeader& header) {
  const std::string path = dir + "/" + format::segment_name(header.start);
  const std::string tmp = path + std::string(format::kTmpSuffix);
  struct stat st_buf;
  if (::stat(path.c_str(), &st_buf) == 0) {
    // Left by an earlier Create whose directory sync failed: take it if it is the same segment.
    auto existing = Open(path, true, 0);
    if (existing.ok() && existing.value()->header().slot_count == header.slot_count &&
        existing.value()->header().interval_s == header.interval_s &&
        existing.value()->header().layout == header.layout) {
      return existing;
    }
    return Status::InvalidArgument("cannot create " + path + ": another segment with that start exists");
  }
  const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status("cannot create", tmp, errno);
  std::vector<uint8_t> bytes(header.header_size);
  format::encode_header(header, bytes.data());
  size_t done = 0;
  Status st = pwrite_all(fd, bytes.data(), bytes.size(), 0, &done, tmp);
  if (st.ok() && ::fsync(fd) != 0) st = errno_status("cannot sync", tmp, errno);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = errno_status("cannot rename to " + path + ":", tmp, errno);
  }
  if (!st.ok()) {
    ::close(fd);
    ::unlink(tmp.c_str());  // holds no record, only the header we just tried to write
    return st;
  }
  st = sync_dir(dir);
  if (!st.ok()) {
    ::close(fd);
    return st;
  }
  return std::shared_ptr<Segment>(new Segment(path, fd, header));
}

Status Segment::read_slots(int64_t first, int64_t count, std::vector<uint8_t>* buf) const {
  const auto bytes = static_cast<size_t>(count * record_size());
  buf->resize(bytes);
  size_t got = 0;
  Status st = pread_all(fd_, buf->data(), bytes, header_.slot_offset(first), &got, path_);
  if (!st.ok()) return st;
  if (got < bytes) std::memset(buf->data() + got, 0, bytes - got);
  return Status::Ok();
}

Status Segment::write_slots(int64_t first, int64_t count, const uint8_t* data) {
  const int64_t offset = header_.slot_offset(first);
  size_t done = 0;
  Status st = pwrite_all(fd_, data, static_cast<size_t>(count * record_size()), offset, &done, path_);
  if (st.ok()) return st;
  // Undo the part that was written so the slot reads as empty, not damaged. Best effort; it
  // needs no new space (truncating frees it; zeroes go over bytes just written). When the
  // file now ends within what we wrote, everything from the slot on is ours (or was never a
  // good record: appends go after the last one), so truncate to the slot.
  struct stat st_buf;
  if (::fstat(fd_, &st_buf) == 0 && st_buf.st_size <= offset + static_cast<int64_t>(done)) {
    if (st_buf.st_size > offset && ::ftruncate(fd_, static_cast<off_t>(offset)) != 0) {
      // Nothing more to do: the CRC marks what is left as damaged.
    }
  } else if (done > 0) {
    std::vector<uint8_t> zeros(done, 0);
    size_t ignored = 0;
    // Best effort: the write error is what the caller must see; if the zeroing fails too, the
    // CRC marks what is left as damaged, so no reader takes it for a record.
    (void)pwrite_all(fd_, zeros.data(), done, offset, &ignored, path_);
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
  return pwrite_all(fd_, zeros.data(), zeros.size(), begin, &done, path_);
}

Status Segment::truncate(int64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
    return errno_status("cannot truncate", path_, errno);
  }
  return Status::Ok();
}

Status Segment::sync() {
  if (::fdatasync(fd_) != 0) return errno_status("cannot sync", path_, errno);
  return Status::Ok();
}

Result<int64_t> Segment::file_size() const {
  struct stat st_buf;
  if (::fstat(fd_, &st_buf) != 0) return errno_status("cannot stat", path_, errno);
  return static_cast<int64_t>(st_buf.st_size);
}

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
