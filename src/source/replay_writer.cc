#include "source/replay_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <utility>

#include "source/crc32.h"
#include "source/replay_format.h"

namespace iw::source {

Result<std::unique_ptr<ReplayWriter>> ReplayWriter::Create(const std::string& path, int adc_bits) {
  if (adc_bits < 1 || adc_bits > 16) {
    return Status::InvalidArgument("replay file " + path + ": adc_bits " + std::to_string(adc_bits) +
                                   " is not in 1..16");
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot create replay file " + path + ": " + std::strerror(errno));
  std::unique_ptr<ReplayWriter> writer(new ReplayWriter(path, fd, adc_bits));
  uint8_t header[replay::kHeaderSize] = {};
  std::memcpy(header, replay::kMagic, sizeof replay::kMagic);
  replay::put_u32(header + 8, replay::kVersion);
  header[12] = static_cast<uint8_t>(adc_bits);
  replay::put_u32(header + replay::kHeaderCrcOffset, crc32(std::span<const uint8_t>(header, replay::kHeaderCrcOffset)));
  if (Status s = writer->write_all(header, sizeof header); !s) return s;
  return writer;
}

ReplayWriter::ReplayWriter(std::string path, int fd, int adc_bits)
    : path_(std::move(path)), fd_(fd), adc_bits_(adc_bits) {}

ReplayWriter::~ReplayWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status ReplayWriter::write_all(const uint8_t* data, size_t size) {
  if (fd_ < 0) return Status::InvalidArgument("replay file " + path_ + " is closed");
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("cannot write replay file " + path_ + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  bytes_ += size;
  return Status::Ok();
}

Status ReplayWriter::append(const measure::SampleBlock& block) {
  auto refuse = [&](const std::string& why) {
    return Status::InvalidArgument("replay file " + path_ + ": block refused: " + why);
  };
  const size_t slots = block.slots();
  if (block.adc_bits != adc_bits_) {
    return refuse("adc_bits " + std::to_string(block.adc_bits) + ", file has " + std::to_string(adc_bits_));
  }
  if (slots == 0 || slots > 0xFFFF) return refuse("scan of " + std::to_string(slots) + " slots");
  if (block.codes.empty() || block.codes.size() % slots != 0) {
    return refuse(std::to_string(block.codes.size()) + " codes is not a whole number of frames of " +
                  std::to_string(slots));
  }
  if (!(block.conversion_ns > 0) || !std::isfinite(block.conversion_ns)) return refuse("conversion_ns must be > 0");
  const bool has_offsets = !block.slot_offset_ns.empty();
  if (has_offsets && block.slot_offset_ns.size() != slots) {
    return refuse(std::to_string(block.slot_offset_ns.size()) + " slot offsets for " + std::to_string(slots) +
                  " slots");
  }
  for (double offset : block.slot_offset_ns) {
    if (!std::isfinite(offset)) return refuse("slot offset is not a finite number");
  }
  const size_t frames = block.frames();
  const size_t payload = replay::payload_size(replay::kVersion, slots, frames, has_offsets);
  if (frames > 0xFFFFFFFFu || payload > replay::kMaxPayload) return refuse("larger than 64 MiB");
  const uint32_t limit = 1u << adc_bits_;
  for (uint16_t code : block.codes) {
    if (code >= limit) return refuse("code " + std::to_string(code) + " out of range");
  }

  buffer_.resize(replay::kLengthSize + payload + replay::kCrcSize);
  uint8_t* p = buffer_.data();
  replay::put_u32(p, static_cast<uint32_t>(payload));
  uint8_t* q = p + replay::kLengthSize;
  replay::put_u64(q, static_cast<uint64_t>(block.start_ns));
  replay::put_f64(q + 8, block.conversion_ns);
  replay::put_u16(q + 16, static_cast<uint16_t>(slots));
  replay::put_u32(q + 18, static_cast<uint32_t>(frames));
  q[replay::kFlagsOffset] = has_offsets ? replay::kFlagSlotOffsets : 0;
  q += replay::kPayloadFixedV2;
  std::memcpy(q, block.scan.data(), slots);
  q += slots;
  for (double offset : block.slot_offset_ns) {
    replay::put_f64(q, offset);
    q += 8;
  }
  for (uint16_t code : block.codes) {
    replay::put_u16(q, code);
    q += 2;
  }
  replay::put_u32(q, crc32(std::span<const uint8_t>(p, replay::kLengthSize + payload)));
  if (Status s = write_all(buffer_.data(), buffer_.size()); !s) return s;
  ++blocks_;
  return Status::Ok();
}

Status ReplayWriter::sync() {
  if (fd_ < 0) return Status::InvalidArgument("replay file " + path_ + " is closed");
  if (::fdatasync(fd_) != 0) return Status::IOError("cannot sync replay file " + path_ + ": " + std::strerror(errno));
  return Status::Ok();
}

Status ReplayWriter::close() {
  if (fd_ < 0) return Status::Ok();
  Status s = sync();
  if (::close(fd_) != 0 && s) s = Status::IOError("cannot close replay file " + path_ + ": " + std::strerror(errno));
  fd_ = -1;
  return s;
}

}  // namespace iw::source
