// What the datalog stores: one record of cumulative counters per interval (FORMAT.md).
#pragma once

#include <cstddef>
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
  // The channel kinds of the segment the record was read from (decode_record sets it); empty
  // for a record built in memory, which holds every entry of `channels`.
  Layout layout;

  // Whether the record holds counters for `channel`. An unused channel of the layout holds none:
  // its `channels` entry reads back as zero and says nothing about the channel's counters.
  bool holds(size_t channel) const {
    if (channel >= channels.size()) return false;
    return layout.empty() || (channel < layout.size() && layout[channel] != measure::ChannelKind::kUnused);
  }

  double monitored_hours() const { return static_cast<double>(monitored_us) / 3.6e9; }
};

// The counters a record stores (FORMAT.md, "Record"); `seconds` is stored once, as monitored_us.
inline constexpr measure::Counter measure::ChannelCounters::*kStoredCounters[] = {
    &measure::ChannelCounters::wh_import, &measure::ChannelCounters::wh_export, &measure::ChannelCounters::vah,
    &measure::ChannelCounters::varh,      &measure::ChannelCounters::vh,        &measure::ChannelCounters::ah,
    &measure::ChannelCounters::hzh};

// Whether a stored counter of one channel is lower in `newer` than in `older` (records in time
// order). The datalog's invariant is that it never is (FORMAT.md, "Counters never decrease"); a
// log written before that held, or an import of another device's history, can break it, and
// readers treat such an interval as a reset: no data, never negative energy.
inline bool counters_decrease(const measure::ChannelCounters& older, const measure::ChannelCounters& newer) {
  for (auto member : kStoredCounters) {
    if ((newer.*member).micros() < (older.*member).micros()) return true;
  }
  return false;
}

}  // namespace iw::datalog
