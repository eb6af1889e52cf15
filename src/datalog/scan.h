// The scan of a log directory that opening a Log and `log check|repair` share (FORMAT.md,
// "Files" and "Recovery"): one listing, one classification of its entries, one walk over
// slots. What does not fit is classified or reported, never a reason to stop: a bad header
// sets one segment aside, a damaged slot is one report. Internal to datalog/.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "datalog/record.h"

namespace iw::datalog {

class Segment;

// Segments by start time.
using SegmentMap = std::map<int64_t, std::shared_ptr<Segment>>;

// What a log directory holds.
struct DirScan {
  struct BadHeader {
    std::string path;
    Status why;  // the Corruption from Segment::Open, prefixed by the path
  };
  SegmentMap segments;                  // segment files whose header is good
  std::vector<BadHeader> bad_headers;   // segment files whose header is not
  std::vector<std::string> set_aside;   // *.damaged: bad segments renamed aside earlier
  std::vector<std::string> temp_files;  // *.tmp: segment creations that did not finish
};

// Lists `dir` in name order and opens every segment file (read-write when `writable`).
// Changes nothing. Fails only on I/O errors (the directory cannot be read, a segment cannot
// be opened for a reason other than its content).
Result<DirScan> scan_dir(Env* env, const std::string& dir, bool writable);

// Renames a segment with a bad header to `<path>.damaged`, where no scan reads it again and
// no retention deletes it; returns the new path. The caller syncs the directory.
Result<std::string> set_aside_segment(Env* env, const std::string& path);

// The exclusive end of the segment at `it`: its own end, or the start of the next segment if
// that comes first (FORMAT.md: a later segment's start ends the one before).
// REQUIRES: it is a valid iterator into `segments`.
int64_t effective_end(const SegmentMap& segments, SegmentMap::const_iterator it);

// Receives what scan_slots finds, slot by slot in time order. Empty slots are not reported.
class SlotReporter {
 public:
  virtual ~SlotReporter() = default;
  // `record`: the slot's record, decoded (valid during the call).
  virtual void good(const Segment& segment, int64_t slot, const Record& record) = 0;
  virtual void damaged(const Segment& segment, int64_t slot) = 0;
};

// Reads slots [0, slots) of `segment` in blocks, those beyond the end of its file excepted
// (they read as empty), and reports each good and each damaged slot. Fails only when a read
// fails.
Status scan_slots(const Segment& segment, int64_t slots, SlotReporter* reporter);

}  // namespace iw::datalog
