#include "datalog/segment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace iw::datalog {

namespace {

Status PreadAll(int fd, uint8_t* data, size_t size, int64_t offset, size_t* got,
                const std::string& path) {
  *got = 0;
  while (*got < size) {
    const ssize_t n = ::pread(fd, data + *got, size - *got, static_cast<off_t>(offset) + *got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot read", path, errno);
    }
    if (n == 0) break;  // end of file
    *got += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Writes everything or reports how much was written before the error.
Status PwriteAll(int fd, const uint8_t* data, size_t size, int64_t offset, size_t* done,
                 const std::string& path) {
  *done = 0;
  while (*done < size) {
    const ssize_t n = ::pwrite(fd, data + *done, size - *done, static_cast<off_t>(offset) + *done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path, errno);
    }
    *done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  return Status::Error(what + " " + path + ": " + std::strerror(err));
}

Status SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open directory", dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus("cannot sync directory", dir, err);
  return Status::Ok();
}

Segment::Segment(std::string path, int fd, format::SegmentHeader header)
    : path_(std::move(path)), fd_(fd), header_(std::move(header)) {}

Segment::~Segment() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::shared_ptr<Segment>> Segment::Open(const std::string& path, bool writable,
                                               int64_t span_slots, bool* bad_header) {
  bool ignored = false;
  if (bad_header == nullptr) bad_header = &ignored;
  *bad_header = false;
  const int fd = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", path, errno);
  std::vector<uint8_t> buf(format::HeaderSize(format::kMaxChannels));
  size_t got = 0;
  Status st = PreadAll(fd, buf.data(), buf.size(), 0, &got, path);
  if (!st.ok()) {
    ::close(fd);
    return st;
  }
  auto header = format::DecodeHeader(buf.data(), got, span_slots);
  if (!header.ok()) {
    ::close(fd);
    *bad_header = true;
    return Status::Error(path + ": bad header: " + header.error());
  }
  const auto slash = path.rfind('/');
  int64_t named_start = -1;
  if (!format::ParseSegmentName(path.substr(slash == std::string::npos ? 0 : slash + 1),
                                &named_start) ||
      named_start != header->start) {
    ::close(fd);
    *bad_header = true;
    return Status::Error(path + ": bad header: start " + std::to_string(header->start) +
                         " does not match the file name");
  }
  return std::shared_ptr<Segment>(new Segment(path, fd, std::move(header.value())));
}

Result<std::shared_ptr<Segment>> Segment::Create(const std::string& dir,
                                                 const format::SegmentHeader& header) {
  const std::string path = dir + "/" + format::SegmentName(header.start);
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
    return Status::Error("cannot create " + path + ": another segment with that start exists");
  }
  const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create", tmp, errno);
  std::vector<uint8_t> bytes(header.header_size);
  format::EncodeHeader(header, bytes.data());
  size_t done = 0;
  Status st = PwriteAll(fd, bytes.data(), bytes.size(), 0, &done, tmp);
  if (st.ok() && ::fsync(fd) != 0) st = ErrnoStatus("cannot sync", tmp, errno);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = ErrnoStatus("cannot rename to " + path + ":", tmp, errno);
  }
  if (!st.ok()) {
    ::close(fd);
    ::unlink(tmp.c_str());  // holds no record, only the header we just tried to write
    return st;
  }
  st = SyncDir(dir);
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
  Status st = PreadAll(fd_, buf->data(), bytes, header_.slot_offset(first), &got, path_);
  if (!st.ok()) return st;
  if (got < bytes) std::memset(buf->data() + got, 0, bytes - got);
  return Status::Ok();
}

Status Segment::write_slots(int64_t first, int64_t count, const uint8_t* data) {
  const int64_t offset = header_.slot_offset(first);
  size_t done = 0;
  Status st = PwriteAll(fd_, data, static_cast<size_t>(count * record_size()), offset, &done, path_);
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
    (void)PwriteAll(fd_, zeros.data(), done, offset, &ignored, path_);
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
  return PwriteAll(fd_, zeros.data(), zeros.size(), begin, &done, path_);
}

Status Segment::truncate(int64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
    return ErrnoStatus("cannot truncate", path_, errno);
  }
  return Status::Ok();
}

Status Segment::sync() {
  if (::fdatasync(fd_) != 0) return ErrnoStatus("cannot sync", path_, errno);
  return Status::Ok();
}

Result<int64_t> Segment::file_size() const {
  struct stat st_buf;
  if (::fstat(fd_, &st_buf) != 0) return ErrnoStatus("cannot stat", path_, errno);
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
