// Helpers for the query tests: a fixed-offset time zone, a small configuration, records built
// by integrating known rates, and an in-memory record source that counts its reads.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "datalog/record.h"
#include "query/query.h"
#include "query/record_source.h"
#include "query/time_zone.h"

namespace iw::query::testing {

// UTC plus a constant offset; no DST.
class FixedOffsetZone final : public TimeZone {
 public:
  explicit FixedOffsetZone(int offset_s) : offset_s_(offset_s) {}
  cctz::civil_second to_local(int64_t utc) const override { return kEpoch + (utc + offset_s_); }
  int64_t to_utc(const cctz::civil_second& local) const override { return (local - kEpoch) - offset_s_; }
  int standard_offset_s(int64_t) const override { return offset_s_; }
  bool has_dst(int64_t) const override { return false; }
  std::string name() const override { return "fixed offset"; }

 private:
  static constexpr cctz::civil_second kEpoch{1970, 1, 1, 0, 0, 0};
  int offset_s_;
};

constexpr int64_t kT0 = 1700006400;  // 2023-11-15T00:00:00Z, a multiple of 86400

// Channels: 0 "Voltage" (VT), 1 "Main" (CT), 2 "Solar" (CT, signed), 3 unused, 4 "Total" (CT).
inline config::Config TestConfig() {
  config::Config c;
  c.inputs.resize(config::kMaxChannels);
  auto add = [&](int channel, const char* name, config::InputType type) {
    config::Input in;
    in.channel = channel;
    in.name = name;
    in.type = type;
    in.vchan = 0;
    c.inputs[static_cast<size_t>(channel)] = in;
  };
  add(0, "Voltage", config::InputType::kVT);
  add(1, "Main", config::InputType::kCT);
  add(2, "Solar", config::InputType::kCT);
  add(4, "Total", config::InputType::kCT);
  c.inputs[2]->is_signed = true;
  return c;
}

inline datalog::Layout TestLayout() {
  using K = measure::ChannelKind;
  return {K::kVoltage, K::kCurrent, K::kCurrent, K::kUnused, K::kCurrent};
}

struct CtRates {
  double watts = 0, va = 0, var = 0, amps = 0;
};

// Rates held over a span: the VT's volts and Hz, and per CT channel of TestLayout().
struct Rates {
  double volts = 240, hz = 50;
  CtRates main{1000, 1250, 750, 1250.0 / 240};
  CtRates solar{-500, 520, 143.6, 520.0 / 240};
  CtRates total{333, 400, 221.5, 400.0 / 240};
};

// Builds the records a daemon would log: running totals integrated from piecewise constant
// rates, one record every `step` seconds while monitoring, none during an outage.
class RecordBuilder {
 public:
  explicit RecordBuilder(int64_t start, int64_t step = 5) : t_(start), step_(step) {
    emit();  // the first record: all counters zero
  }

  // Monitors with `rates` until `until` (a multiple of step).
  void run(int64_t until, const Rates& rates) {
    while (t_ < until) {
      const double h = static_cast<double>(step_) / 3600;
      totals_[0].vh += rates.volts * h;
      totals_[0].hzh += rates.hz * h;
      add(totals_[1], rates.main, rates.volts, h);
      add(totals_[2], rates.solar, rates.volts, h);
      add(totals_[4], rates.total, rates.volts, h);
      monitored_s_ += step_;
      t_ += step_;
      emit();
    }
  }
  // Time passes unmonitored: no records, no monitored time.
  void outage(int64_t until) { t_ = until; }

  const std::vector<datalog::Record>& records() const { return records_; }

 private:
  struct Totals {
    double wh_import = 0, wh_export = 0, vah = 0, varh = 0, vh = 0, ah = 0, hzh = 0;
  };
  static void add(Totals& c, const CtRates& r, double volts, double h) {
    (r.watts >= 0 ? c.wh_import : c.wh_export) += std::abs(r.watts) * h;
    c.vah += r.va * h;
    c.varh += r.var * h;
    c.vh += volts * h;
    c.ah += r.amps * h;
  }
  static int64_t micros(double units) { return std::llround(units * 1e6); }
  void emit() {
    datalog::Record r;
    r.time = t_;
    r.monitored_us = monitored_s_ * 1000000;
    r.channels.resize(5);
    for (size_t ch = 0; ch < 5; ++ch) {
      const Totals& s = totals_[ch];
      auto& c = r.channels[ch];
      c.wh_import.set(micros(s.wh_import));
      c.wh_export.set(micros(s.wh_export));
      c.vah.set(micros(s.vah));
      c.varh.set(micros(s.varh));
      c.vh.set(micros(s.vh));
      c.ah.set(micros(s.ah));
      c.hzh.set(micros(s.hzh));
    }
    records_.push_back(std::move(r));
  }

  int64_t t_;
  int64_t step_;
  int64_t monitored_s_ = 0;
  Totals totals_[5];
  std::vector<datalog::Record> records_;
};

// Records in memory, read as LogRecordSource reads logs (at or before, clamped to the first).
class MapSource final : public RecordSource {
 public:
  explicit MapSource(const std::vector<datalog::Record>& records) {
    for (const auto& r : records) records_[r.time] = r;
  }
  Result<std::optional<datalog::Record>> at_or_before(int64_t t) const override {
    ++reads_;
    if (records_.empty()) return std::optional<datalog::Record>();
    auto it = records_.upper_bound(t);
    if (it == records_.begin()) return std::optional<datalog::Record>(it->second);
    return std::optional<datalog::Record>(std::prev(it)->second);
  }
  Result<std::optional<int64_t>> first_time() const override {
    if (records_.empty()) return std::optional<int64_t>();
    return std::optional<int64_t>(records_.begin()->first);
  }
  int reads() const { return reads_; }

 private:
  std::map<int64_t, datalog::Record> records_;
  mutable int reads_ = 0;
};

// The whole body of `answer`: its text, then its stream read to the end (false if the stream
// fails, which the caller's test sees as a failed EXPECT).
inline std::string body_of(const QueryAnswer& answer) {
  std::string body = answer.body;
  if (answer.stream) {
    const Status st = answer.stream([&](std::string_view piece) {
      body += piece;
      return true;
    });
    EXPECT_TRUE(st.ok()) << st.message();
  }
  return body;
}

}  // namespace iw::query::testing
