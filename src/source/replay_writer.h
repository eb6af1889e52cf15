// Appends SampleBlocks to a replay file (format: REPLAY_FORMAT.md; always writes the current
// version, replay::kVersion).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "measure/sample_block.h"

namespace iw::source {

class ReplayWriter {
 public:
  // Creates (or truncates) `path` and writes the header for blocks of `adc_bits` codes.
  static Result<std::unique_ptr<ReplayWriter>> Create(const std::string& path, int adc_bits);
  ~ReplayWriter();  // closes without syncing
  ReplayWriter(const ReplayWriter&) = delete;
  ReplayWriter& operator=(const ReplayWriter&) = delete;

  // Writes one block (format version 2, slot_offset_ns included) with a single write().
  // Refuses blocks the reader would reject (other adc_bits, empty scan, partial frame, bad
  // conversion_ns, code out of range, slot_offset_ns neither empty nor one finite value per
  // slot); the file is unchanged then. After a failed write the file may end in a torn block.
  Status append(const measure::SampleBlock& block);
  // fdatasync: everything appended so far survives a crash.
  Status sync();
  // Syncs and closes; later calls to append() fail.
  Status close();

  const std::string& path() const { return path_; }
  uint64_t bytes_written() const { return bytes_; }
  uint64_t blocks_written() const { return blocks_; }

 private:
  ReplayWriter(std::string path, int fd, int adc_bits);
  Status write_all(const uint8_t* data, size_t size);

  std::string path_;
  int fd_;
  int adc_bits_;
  uint64_t bytes_ = 0;
  uint64_t blocks_ = 0;
  std::vector<uint8_t> buffer_;
};

}  // namespace iw::source
