#include "source/replay_source.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <utility>

#include "source/crc32.h"
#include "source/replay_format.h"

namespace iw::source {

Result<std::unique_ptr<ReplaySource>> ReplaySource::Open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rbe");
  if (!f) return Status::IOError("cannot open replay file " + path + ": " + std::strerror(errno));
  uint8_t header[replay::kHeaderSize];
  const size_t got = std::fread(header, 1, sizeof header, f);
  auto fail = [&](const std::string& why) {
    std::fclose(f);
    return Status::Corruption("replay file " + path + ": " + why);
  };
  if (got == 0) return fail(std::ferror(f) ? "read error" : "empty file, no header");
  if (got < sizeof header) {
    return fail("torn header: " + std::to_string(got) + " of " + std::to_string(sizeof header) + " bytes");
  }
  if (std::memcmp(header, replay::kMagic, sizeof replay::kMagic) != 0) {
    return fail("not an iotawatt replay file (bad magic)");
  }
  const uint32_t version = replay::get_u32(header + 8);
  if (version < replay::kOldestVersion || version > replay::kVersion) {
    return fail("format version " + std::to_string(version) + " is not supported (this build reads versions " +
                std::to_string(replay::kOldestVersion) + " to " + std::to_string(replay::kVersion) + ")");
  }
  if (replay::get_u32(header + replay::kHeaderCrcOffset) !=
      crc32(std::span<const uint8_t>(header, replay::kHeaderCrcOffset))) {
    return fail("header CRC mismatch");
  }
  const int adc_bits = header[12];
  if (adc_bits < 1 || adc_bits > 16) return fail("adc_bits " + std::to_string(adc_bits) + " is not in 1..16");
  return std::unique_ptr<ReplaySource>(new ReplaySource(path, f, version, adc_bits));
}

ReplaySource::ReplaySource(std::string path, std::FILE* file, uint32_t version, int adc_bits)
    : path_(std::move(path)), file_(file), version_(version), adc_bits_(adc_bits), offset_(replay::kHeaderSize) {}

ReplaySource::~ReplaySource() { std::fclose(file_); }

std::string ReplaySource::describe() const {
  return "replay of " + path_ + " (" + std::to_string(adc_bits_) + "-bit codes)";
}

Status ReplaySource::damaged(const std::string& what) {
  stop_ = Status::Corruption("replay file " + path_ + ": " + what);
  return stop_;
}

Status ReplaySource::read_error(const std::string& at) {
  stop_ = Status::IOError("replay file " + path_ + ": read error" + at);
  return stop_;
}

Status ReplaySource::read(measure::SampleBlock& block) {
  if (!stop_.ok()) return stop_;
  if (at_end_)
    return Status::End("replay file " + path_ + ": end of replay after " + std::to_string(blocks_) + " blocks");
  return next(block);
}

Status ReplaySource::next(measure::SampleBlock& block) {
  const std::string at = " at offset " + std::to_string(offset_);
  uint8_t length_bytes[replay::kLengthSize];
  const size_t got = std::fread(length_bytes, 1, sizeof length_bytes, file_);
  if (std::ferror(file_)) return read_error(at);
  if (got == 0) {
    at_end_ = true;
    return Status::End("replay file " + path_ + ": end of replay after " + std::to_string(blocks_) + " blocks");
  }
  if (got < sizeof length_bytes) {
    return damaged("torn block" + at + ": file ends after " + std::to_string(got) + " bytes of the length field");
  }
  const uint32_t length = replay::get_u32(length_bytes);
  if (length > replay::kMaxPayload || length < replay::payload_size(version_, 1, 1, false)) {
    return damaged("corrupt block" + at + ": implausible length " + std::to_string(length));
  }
  const size_t want = size_t{length} + replay::kCrcSize;
  buffer_.resize(replay::kLengthSize + want);
  std::memcpy(buffer_.data(), length_bytes, replay::kLengthSize);
  const size_t body = std::fread(buffer_.data() + replay::kLengthSize, 1, want, file_);
  if (std::ferror(file_)) return read_error(at);
  if (body < want) {
    return damaged("torn block" + at + ": file ends after " + std::to_string(replay::kLengthSize + body) + " of " +
                   std::to_string(replay::kLengthSize + want) + " bytes");
  }
  const uint8_t* p = buffer_.data();
  const uint32_t stored = replay::get_u32(p + replay::kLengthSize + length);
  if (stored != crc32(std::span<const uint8_t>(p, replay::kLengthSize + length))) {
    return damaged("CRC mismatch in block" + at);
  }
  const uint8_t* q = p + replay::kLengthSize;
  const auto start_ns = static_cast<int64_t>(replay::get_u64(q));
  const double conversion_ns = replay::get_f64(q + 8);
  const size_t slots = replay::get_u16(q + 16);
  const size_t frames = replay::get_u32(q + 18);
  const uint8_t flags = version_ >= 2 ? q[replay::kFlagsOffset] : 0;
  if ((flags & ~replay::kKnownFlags) != 0) {
    return damaged("corrupt block" + at + ": unknown flags " + std::to_string(flags) +
                   " (only bit 0, slot offsets, is defined)");
  }
  const bool has_offsets = (flags & replay::kFlagSlotOffsets) != 0;
  if (slots == 0 || frames == 0 || replay::payload_size(version_, slots, frames, has_offsets) != length) {
    return damaged("corrupt block" + at + ": " + std::to_string(slots) + " slots x " + std::to_string(frames) +
                   " frames do not fill " + std::to_string(length) + " bytes");
  }
  if (!(conversion_ns > 0) || !std::isfinite(conversion_ns)) {
    return damaged("corrupt block" + at + ": conversion_ns is not a positive number");
  }
  q += replay::payload_fixed(version_);
  block.start_ns = start_ns;
  block.conversion_ns = conversion_ns;
  block.adc_bits = adc_bits_;
  block.scan.assign(q, q + slots);
  q += slots;
  block.slot_offset_ns.clear();
  if (has_offsets) {
    block.slot_offset_ns.resize(slots);
    for (size_t s = 0; s < slots; ++s, q += 8) {
      block.slot_offset_ns[s] = replay::get_f64(q);
      if (!std::isfinite(block.slot_offset_ns[s])) {
        return damaged("corrupt block" + at + ": slot offset " + std::to_string(s) + " is not a finite number");
      }
    }
  }
  block.codes.resize(slots * frames);
  const uint32_t limit = 1u << adc_bits_;
  for (size_t i = 0; i < block.codes.size(); ++i, q += 2) {
    block.codes[i] = replay::get_u16(q);
    if (block.codes[i] >= limit) {
      return damaged("corrupt block" + at + ": code " + std::to_string(block.codes[i]) + " exceeds " +
                     std::to_string(adc_bits_) + " bits");
    }
  }
  offset_ += replay::kLengthSize + want;
  ++blocks_;
  return Status::Ok();
}

}  // namespace iw::source
