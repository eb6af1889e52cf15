// What the datalog stores: one record of cumulative counters per interval (FORMAT.md).
#pragma once

#include <cstdint>
#include <vector>

#include "measure/bucket.h"
#include "measure/channel_setup.h"

namespace iw::datalog {

// Which inputs are voltage (VT) or current (CT) channels, indexed by channel number. The layout
// decides which counters a record holds (FORMAT.md, "Record").
using Layout = std::vector<measure::ChannelKind>;

// Record flag bits.
inline constexpr uint32_t kFlagStart = 1;  // first record after the writer started

struct Record {
  // UNIX seconds at the end of the interval; a multiple of the log's interval.
  int64_t time = 0;
  // Cumulative microseconds the daemon was measuring. Outages add nothing, so
  // (a - b) / (a.monitored_us - b.monitored_us) averages only the monitored time.
  int64_t monitored_us = 0;
  uint32_t flags = 0;
  // One entry per channel of the layout. Stored: the micros() of each counter (CT: wh_import,
  // wh_export, vah, varh, vh, ah; VT: vh, hzh); the others, residuals and unused channels read
  // back as zero, except `seconds`, which reads back as monitored_us for VT and CT channels.
  std::vector<measure::ChannelCounters> channels;

  double monitored_hours() const { return static_cast<double>(monitored_us) / 3.6e9; }
};

}  // namespace iw::datalog
