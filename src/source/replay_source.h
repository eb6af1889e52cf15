// Reads a replay file (REPLAY_FORMAT.md) back as a SampleSource, as fast as the caller reads.
//
// Damage never crashes the reader: a torn last block, a CRC mismatch or an inconsistent block
// stops it at that block with a Corruption naming the file and the block's offset, and every
// later read() returns the same error. valid_bytes() is the length of the good prefix.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "source/sample_source.h"

namespace iw::source {

class ReplaySource final : public SampleSource {
 public:
  // Opens the file and checks its header (empty file, wrong magic, a version other than 1 or
  // 2, bad header CRC are errors).
  static Result<std::unique_ptr<ReplaySource>> Open(const std::string& path);
  ~ReplaySource() override;
  ReplaySource(const ReplaySource&) = delete;
  ReplaySource& operator=(const ReplaySource&) = delete;

  // The next block, exactly as it was written. At the clean end of the file: an End status.
  // At damage: a Corruption with the offset; a failed read: an IOError.
  Status read(measure::SampleBlock& block) override;
  std::string describe() const override;

  int adc_bits() const { return adc_bits_; }
  // The file's format version (1 or 2); version 1 blocks read back with slot_offset_ns empty.
  uint32_t version() const { return version_; }
  uint64_t blocks_read() const { return blocks_; }
  // Offset just past the last good block (the header size before any block was read).
  uint64_t valid_bytes() const { return offset_; }
  // Ok until the reader stopped at damage or an I/O error; then that error.
  const Status& stopped() const { return stop_; }

 private:
  ReplaySource(std::string path, std::FILE* file, uint32_t version, int adc_bits);
  Status next(measure::SampleBlock& block);
  Status damaged(const std::string& what);   // stops the reader with a Corruption
  Status read_error(const std::string& at);  // stops the reader with an IOError

  std::string path_;
  std::FILE* file_;
  uint32_t version_;
  int adc_bits_;
  uint64_t offset_;
  uint64_t blocks_ = 0;
  bool at_end_ = false;
  Status stop_;
  std::vector<uint8_t> buffer_;
};

}  // namespace iw::source
