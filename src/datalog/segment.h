// One segment file: its header and positional reads and writes of its slots. Internal to
// datalog/ (the Log and check/repair use it).
//
// All I/O goes through the Env the segment was opened with (base/env.h).
//
// Thread-safety: read_slots() and the accessors may run concurrently with write_slots() and
// sync() (pread/pwrite on one descriptor). Writes REQUIRE external synchronization.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "datalog/format.h"

namespace iw::datalog {

class Segment {
 public:
  // Opens an existing segment file and validates its header against its name and `span_slots`
  // (0: any). A bad header is a Corruption whose message says why, prefixed by the path; I/O
  // errors such as EACCES or EIO, which say nothing about the content, are IOErrors.
  static Result<std::shared_ptr<Segment>> Open(Env* env, const std::string& path, bool writable, int64_t span_slots);
  // Creates `<dir>/<segment_name(header.start)>` durably: header written to a .tmp file,
  // fsync'ed, renamed, directory fsync'ed. If the file exists with the same header (an earlier
  // Create whose directory sync failed) it is opened instead; with another header it fails.
  static Result<std::shared_ptr<Segment>> Create(Env* env, const std::string& dir, const format::SegmentHeader& header);
  ~Segment() = default;
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  const format::SegmentHeader& header() const { return header_; }
  const std::string& path() const { return path_; }
  int64_t start() const { return header_.start; }
  int64_t end() const { return header_.end(); }
  int64_t interval() const { return header_.interval_s; }
  int64_t slot_count() const { return header_.slot_count; }
  int64_t record_size() const { return header_.record_size; }
  bool contains(int64_t t) const { return t >= start() && t < end(); }
  int64_t slot_of(int64_t t) const { return (t - start()) / interval(); }
  int64_t slot_time(int64_t slot) const { return start() + slot * interval(); }

  // Reads `count` slots from `first` into `buf` (resized); slots beyond the end of the file read
  // as zeros (empty).
  Status read_slots(int64_t first, int64_t count, std::vector<uint8_t>* buf) const;
  // Writes `count` encoded records at slots first.. with one pwrite. On failure the slots are
  // restored to empty where possible (the file is truncated back to the first slot, or the
  // written prefix is zeroed).
  Status write_slots(int64_t first, int64_t count, const uint8_t* data);
  // Zeroes `count` slots from `first` (repair), or truncates them away when they end the file.
  Status clear_slots(int64_t first, int64_t count);
  Status truncate(int64_t size);
  Status sync();
  Result<int64_t> file_size() const;
  // Number of slots the file has room for (those beyond read as empty), at most slot_count.
  Result<int64_t> slots_in_file() const;

 private:
  Segment(std::unique_ptr<File> file, format::SegmentHeader header);

  const std::unique_ptr<File> file_;
  const std::string& path_;  // file_'s
  format::SegmentHeader header_;
};

}  // namespace iw::datalog
