#include "datalog/iotawatt_import.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "datalog/datalog_testing.h"

namespace iw::datalog {
namespace {

using measure::ChannelKind;
using testing::TempDir;

constexpr uint32_t kT0 = 1700006400;  // a multiple of 86400
constexpr size_t kCh = 15;

// ---- A writer of the original firmware's records, following the reference's table (4.2) ----

struct Orig {
  uint32_t time = 0;
  int32_t serial = 0;
  double hours = 0;
  double a1[kCh] = {};
  double a2[kCh] = {};
};

void PutLe(std::vector<uint8_t>* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

std::vector<uint8_t> Bytes(const Orig& r) {
  std::vector<uint8_t> out;
  PutLe(&out, r.time, 4);
  PutLe(&out, static_cast<uint32_t>(r.serial), 4);
  PutLe(&out, std::bit_cast<uint64_t>(r.hours), 8);
  for (double v : r.a1) PutLe(&out, std::bit_cast<uint64_t>(v), 8);
  for (double v : r.a2) PutLe(&out, std::bit_cast<uint64_t>(v), 8);
  EXPECT_EQ(out.size(), 256u);
  return out;
}

// Channels: 0 VT (120 V, 60 Hz), 1 CT importing, 2 CT signed (its net goes negative),
// 7 CT with a steady 55 W / 55.5 VA load (its average VA is in 40..70: still a CT), others unused.
Layout ExpectedLayout() {
  Layout l(kCh, ChannelKind::kUnused);
  l[0] = ChannelKind::kVoltage;
  l[1] = l[2] = l[7] = ChannelKind::kCurrent;
  return l;
}

// n records of 5 s in time order; after record 59 the device was off for 10 minutes (a gap in
// time; logHours goes on from where it stopped), record 100 is a catch-up record written
// unchanged (no data).
std::vector<Orig> History(int n, uint32_t interval = 5, uint32_t t0 = kT0) {
  std::vector<Orig> out;
  Orig r;
  r.time = t0;
  r.serial = 1000;
  r.hours = 12.5;  // carried over from an earlier log
  r.a1[0] = 120.0 * 12.5;
  r.a2[0] = 60.0 * 12.5;
  r.a1[1] = 4321.125;
  r.a2[1] = 4800.5;
  r.a1[2] = 35.0;
  r.a2[2] = 700.0;
  r.a1[7] = 55.0 * 12.5;
  r.a2[7] = 55.5 * 12.5;
  for (int k = 0; k < n; ++k) {
    r.time += (k == 60 ? 600 : interval);
    ++r.serial;
    if (k != 100) {
      const double dh = interval / 3600.0;
      r.hours += dh;
      r.a1[0] += (120.0 + 0.7 * std::sin(k)) * dh;
      r.a2[0] += (60.0 + 0.02 * std::cos(k)) * dh;
      const double w1 = 800 + 300 * std::sin(0.1 * k);
      r.a1[1] += w1 * dh;
      r.a2[1] += 1.1 * w1 * dh;
      const double w2 = 2500 - 40.0 * k;  // exports from k = 63 on
      r.a1[2] += w2 * dh;
      r.a2[2] += (std::fabs(w2) * 1.02 + 3) * dh;
      r.a1[7] += 55.0 * dh;
      r.a2[7] += 55.5 * dh;
    }
    out.push_back(r);
  }
  return out;
}

std::vector<uint8_t> FileOf(const std::vector<Orig>& recs) {
  std::vector<uint8_t> out;
  for (const auto& r : recs) {
    const auto b = Bytes(r);
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

std::string Write(const TempDir& dir, const std::string& name, const std::vector<uint8_t>& bytes) {
  const std::string path = dir.sub(name);
  FILE* f = std::fopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr);
  if (f == nullptr) return path;
  EXPECT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  std::fclose(f);
  return path;
}

std::unique_ptr<Log> OpenTarget(const TempDir& dir, const Layout& layout, int64_t interval = 5) {
  LogOptions o = interval == 5 ? current_log_options(layout) : history_log_options(layout);
  o.sync_interval_s = 1 << 30;  // no fsyncs in unit tests
  auto log = Log::Open(dir.sub("log"), o);
  EXPECT_TRUE(log.ok()) << log.error();
  return log.ok() ? std::move(log.value()) : nullptr;
}

int64_t Micros(double v) { return std::llround(v * 1e6); }

// Every good original record is in the log with exactly the converted values; CT import and
// export follow the net's record-to-record changes.
void ExpectImported(const Log& log, const std::vector<Orig>& good, const Layout& layout) {
  int64_t imp[kCh] = {}, ex[kCh] = {}, net[kCh] = {};
  bool first = true;
  for (const Orig& o : good) {
    auto got = log.read(o.time);
    ASSERT_TRUE(got.ok()) << got.error();
    ASSERT_TRUE(got.value().has_value()) << "missing " << o.time;
    const Record& r = *got.value();
    EXPECT_EQ(r.monitored_us, std::llround(o.hours * 3.6e9));
    for (size_t c = 0; c < kCh; ++c) {
      const auto& cc = r.channels[c];
      if (layout[c] == ChannelKind::kCurrent) {
        const int64_t m = Micros(o.a1[c]);
        const int64_t d = first ? m : m - net[c];
        (d >= 0 ? imp[c] : ex[c]) += std::llabs(d);
        net[c] = m;
        ASSERT_EQ(cc.wh_import.micros(), imp[c]) << "channel " << c << " at " << o.time;
        ASSERT_EQ(cc.wh_export.micros(), ex[c]) << "channel " << c << " at " << o.time;
        ASSERT_EQ(cc.wh_import.micros() - cc.wh_export.micros(), m);
        ASSERT_EQ(cc.vah.micros(), Micros(o.a2[c]));
      } else if (layout[c] == ChannelKind::kVoltage) {
        ASSERT_EQ(cc.vh.micros(), Micros(o.a1[c]));
        ASSERT_EQ(cc.hzh.micros(), Micros(o.a2[c]));
      }
    }
    first = false;
  }
}

// The report's totals are the original's last record, and the converted counters agree.
void ExpectTotals(const ImportReport& report, const Orig& last) {
  ASSERT_EQ(report.channels.size(), kCh);
  EXPECT_EQ(report.log_hours, last.hours);
  EXPECT_EQ(report.monitored_us, std::llround(last.hours * 3.6e9));
  for (size_t c = 0; c < kCh; ++c) {
    const auto& ch = report.channels[c];
    EXPECT_EQ(ch.accum1, last.a1[c]);
    EXPECT_EQ(ch.accum2, last.a2[c]);
    if (ch.kind == ChannelKind::kCurrent) {
      EXPECT_NEAR(ch.counters.wh_import.value() - ch.counters.wh_export.value(), last.a1[c], 1e-6);
      EXPECT_NEAR(ch.counters.vah.value(), last.a2[c], 1e-6);
    } else if (ch.kind == ChannelKind::kVoltage) {
      EXPECT_NEAR(ch.counters.vh.value(), last.a1[c], 1e-6);
      EXPECT_NEAR(ch.counters.hzh.value(), last.a2[c], 1e-6);
    }
  }
}

TEST(IotaWattImport, ImportsEveryRecordWithExactTotals) {
  TempDir dir;
  const auto recs = History(300);
  auto bytes = FileOf(recs);
  bytes.resize(bytes.size() + 32 * 256, 0);  // preformatted tail
  const auto torn = Bytes(recs.back());
  bytes.insert(bytes.end(), torn.begin(), torn.begin() + 100);  // a torn last record
  const std::string path = Write(dir, "iotalog.log", bytes);

  auto layout = detect_iotawatt_layout(path);
  ASSERT_TRUE(layout.ok()) << layout.error();
  EXPECT_EQ(layout.value(), ExpectedLayout());
  auto log = OpenTarget(dir, layout.value());
  ASSERT_TRUE(log);

  std::vector<std::pair<int64_t, int64_t>> progress;
  ImportOptions options;
  options.progress = [&](int64_t done, int64_t total) { progress.emplace_back(done, total); };
  options.progress_every = 100;
  auto report = import_iotawatt_log(path, *log, options);
  ASSERT_TRUE(report.ok()) << report.error();
  const ImportReport& r = report.value();
  EXPECT_TRUE(r.layout_detected);
  EXPECT_EQ(r.layout, ExpectedLayout());
  EXPECT_FALSE(r.wrapped);
  EXPECT_EQ(r.records_read, 300);
  EXPECT_EQ(r.imported, 300);
  EXPECT_EQ(r.damaged, 0);
  EXPECT_EQ(r.preformatted, 32);
  EXPECT_EQ(r.partial_bytes, 100);
  EXPECT_EQ(r.partial_offset, (300 + 32) * 256);
  EXPECT_EQ(r.skipped_existing, 0);
  EXPECT_TRUE(r.skipped_reasons.empty());
  EXPECT_EQ(r.first_time, recs.front().time);
  EXPECT_EQ(r.last_time, recs.back().time);
  EXPECT_EQ(r.imported_first, recs.front().time);
  EXPECT_EQ(r.imported_last, recs.back().time);
  ExpectTotals(r, recs.back());
  ExpectImported(*log, recs, ExpectedLayout());

  // The signed channel went negative: its export is real and net = import - export.
  EXPECT_LT(recs.back().a1[2], 0);
  EXPECT_GT(r.channels[2].counters.wh_export.value(), 1.0);
  EXPECT_EQ(r.channels[1].counters.wh_export.micros(), 0);

  // The 10-minute outage is a gap; the catch-up record adds no monitored time.
  const int64_t before_gap = recs[59].time;
  EXPECT_EQ(recs[60].time, before_gap + 600);
  for (int64_t t = before_gap + 5; t < before_gap + 600; t += 5) {
    auto g = log->read(t);
    ASSERT_TRUE(g.ok());
    EXPECT_FALSE(g.value().has_value()) << t;
  }
  auto around = log->at_or_before(before_gap + 300);
  ASSERT_TRUE(around.ok() && around.value());
  EXPECT_EQ(around.value()->time, before_gap);
  EXPECT_EQ(log->read(recs[100].time).value()->monitored_us, log->read(recs[99].time).value()->monitored_us);

  // Progress: two passes (detection, import), increasing, ending at the total.
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), std::make_pair(int64_t{600}, int64_t{600}));
  for (size_t i = 1; i < progress.size(); ++i) EXPECT_GT(progress[i].first, progress[i - 1].first);
  EXPECT_NE(r.summary().find("imported 300"), std::string::npos);
}

// Found by fuzz/iotawatt_import_fuzz: a CT whose Wh swings from near the top of the accepted
// range to near the bottom changes by more than an int64 holds; the export saturates.
TEST(IotaWattImport, SwingBetweenTheBoundsSaturates) {
  TempDir dir;
  Orig a;
  a.time = kT0;
  a.serial = 1;
  a.hours = 1;
  a.a1[1] = 8.9e12;
  a.a2[1] = 8.9e12;
  Orig b = a;
  b.time += 5;
  b.serial = 2;
  b.a1[1] = -8.9e12;
  b.a2[1] = 8.95e12;
  const std::string path = Write(dir, "iotalog.log", FileOf({a, b}));
  Layout layout(kCh, ChannelKind::kUnused);
  layout[1] = ChannelKind::kCurrent;
  auto log = OpenTarget(dir, layout);
  ASSERT_TRUE(log);
  ImportOptions options;
  options.layout = layout;
  auto report = import_iotawatt_log(path, *log, options);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report->imported, 2);
  const auto last = log->read(b.time);
  ASSERT_TRUE(last.ok() && last.value().has_value());
  EXPECT_EQ(last.value()->channels[1].wh_import.micros(), Micros(8.9e12));
  EXPECT_EQ(last.value()->channels[1].wh_export.micros(), std::numeric_limits<int64_t>::max());
}

TEST(IotaWattImport, ImportTwiceSkipsEverythingWithAReason) {
  TempDir dir;
  const auto recs = History(120);
  const std::string path = Write(dir, "iotalog.log", FileOf(recs));
  ImportOptions options;
  options.layout = ExpectedLayout();
  auto log = OpenTarget(dir, ExpectedLayout());
  ASSERT_TRUE(log);
  auto first = import_iotawatt_log(path, *log, options);
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first.value().imported, 120);
  EXPECT_FALSE(first.value().layout_detected);

  auto again = import_iotawatt_log(path, *log, options);
  ASSERT_TRUE(again.ok()) << again.error();
  const ImportReport& r = again.value();
  EXPECT_EQ(r.imported, 0);
  EXPECT_EQ(r.skipped_existing, 120);
  EXPECT_EQ(r.damaged, 0);
  ASSERT_EQ(r.skipped_reasons.size(), 1u);
  EXPECT_NE(r.skipped_reasons[0].find("120 records"), std::string::npos) << r.skipped_reasons[0];
  EXPECT_NE(r.skipped_reasons[0].find("at or before the last record"), std::string::npos);
  EXPECT_NE(r.skipped_reasons[0].find("import before the daemon"), std::string::npos);
  EXPECT_EQ(log->last_time(), recs.back().time);
  ExpectTotals(r, recs.back());  // the report still verifies the file
}

TEST(IotaWattImport, TargetWithNewerRecordsGetsOnlyTheRest) {
  // The target already holds records up to the middle of the file: the older half is skipped
  // (and said so), the rest is imported with the CT import/export split continuing as if the
  // whole file had been converted.
  TempDir dir;
  const auto recs = History(200);
  const std::string path = Write(dir, "iotalog.log", FileOf(recs));
  auto log = OpenTarget(dir, ExpectedLayout());
  ASSERT_TRUE(log);
  Record existing;
  existing.time = recs[149].time;
  existing.channels.resize(kCh);
  ASSERT_TRUE(log->append(existing).ok());
  auto report = import_iotawatt_log(path, *log);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report.value().skipped_existing, 150);
  EXPECT_EQ(report.value().imported, 50);
  EXPECT_EQ(report.value().imported_first, recs[150].time);
  ASSERT_EQ(report.value().skipped_reasons.size(), 1u);

  TempDir whole_dir;
  auto whole = OpenTarget(whole_dir, ExpectedLayout());
  ASSERT_TRUE(whole && import_iotawatt_log(path, *whole).ok());
  for (size_t k = 150; k < recs.size(); ++k) {
    auto a = log->read(recs[k].time);
    auto b = whole->read(recs[k].time);
    ASSERT_TRUE(a.ok() && b.ok() && a.value() && b.value());
    EXPECT_EQ(a.value()->channels[2].wh_import.micros(), b.value()->channels[2].wh_import.micros());
    EXPECT_EQ(a.value()->channels[2].wh_export.micros(), b.value()->channels[2].wh_export.micros());
  }
}

TEST(IotaWattImport, WrappedRingIsReadInTimeOrder) {
  TempDir dir;
  const auto recs = History(250);
  for (const int64_t wrap : {1, 77, 125, 249}) {
    SCOPED_TRACE(wrap);
    // Physical record (wrap + j) % n holds the j-th oldest record.
    const size_t n = recs.size();
    std::vector<Orig> ring(n);
    for (size_t j = 0; j < n; ++j) ring[(static_cast<size_t>(wrap) + j) % n] = recs[j];
    const std::string path = Write(dir, "ring" + std::to_string(wrap) + ".log", FileOf(ring));
    TempDir target_dir;
    auto log = OpenTarget(target_dir, ExpectedLayout());
    ASSERT_TRUE(log);
    auto report = import_iotawatt_log(path, *log);
    ASSERT_TRUE(report.ok()) << report.error();
    const ImportReport& r = report.value();
    EXPECT_TRUE(r.wrapped);
    EXPECT_EQ(r.wrap_offset, wrap * 256);
    EXPECT_EQ(r.imported, static_cast<int64_t>(n));
    EXPECT_EQ(r.damaged, 0);
    EXPECT_EQ(r.first_time, recs.front().time);
    EXPECT_EQ(r.last_time, recs.back().time);
    ExpectTotals(r, recs.back());
    ExpectImported(*log, recs, ExpectedLayout());
  }
}

TEST(IotaWattImport, WrappedRingWithDamagedProbes) {
  // Damaged records around the binary search's probes do not mislead it.
  TempDir dir;
  auto recs = History(240);
  const size_t n = recs.size(), wrap = 100;
  std::vector<Orig> ring(n);
  for (size_t j = 0; j < n; ++j) ring[(wrap + j) % n] = recs[j];
  std::vector<size_t> bad;
  for (size_t p = 116; p <= 124; ++p) bad.push_back(p);  // around the first midpoint (120)
  for (size_t p : bad) ring[p].hours = std::numeric_limits<double>::quiet_NaN();
  ring[60].time += 1u << 24;  // a far-future time in the newer run, near a later probe
  const std::string path = Write(dir, "iotalog.log", FileOf(ring));
  auto log = OpenTarget(dir, ExpectedLayout());
  ASSERT_TRUE(log);
  auto report = import_iotawatt_log(path, *log);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report.value().wrap_offset, static_cast<int64_t>(wrap * 256));
  EXPECT_EQ(report.value().damaged, static_cast<int64_t>(bad.size() + 1));
  EXPECT_EQ(report.value().imported, static_cast<int64_t>(n - bad.size() - 1));
  ExpectTotals(report.value(), recs.back());
}

TEST(IotaWattImport, WrappedRingWithInconsistentSerialsFallsBackToAScan) {
  // The first record's serial is damaged: no probe can be matched to a run by its serial, so
  // the wrap is found by a linear scan of the times (an isolated out-of-order time is not it).
  TempDir dir;
  auto recs = History(200);
  const size_t n = recs.size(), wrap = 130;
  std::vector<Orig> ring(n);
  for (size_t j = 0; j < n; ++j) ring[(wrap + j) % n] = recs[j];
  ring[0].serial ^= 0x4000;
  ring[40].time = recs[3].time;  // a single early time in the newer run: damaged, not the wrap
  const std::string path = Write(dir, "iotalog.log", FileOf(ring));
  auto log = OpenTarget(dir, ExpectedLayout());
  ASSERT_TRUE(log);
  auto report = import_iotawatt_log(path, *log);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report.value().wrap_offset, static_cast<int64_t>(wrap * 256));
  EXPECT_EQ(report.value().damaged, 1);
  EXPECT_EQ(report.value().imported, static_cast<int64_t>(n - 1));
  ExpectTotals(report.value(), recs.back());
}

TEST(IotaWattImport, DamagedLastTimeIsNotAWrap) {
  // The last record's time went before the first's, but the serials run straight: not a ring.
  TempDir dir;
  auto recs = History(100);
  auto bytes = FileOf(recs);
  const uint32_t early = recs.front().time - 1000;
  std::memcpy(&bytes[99 * 256], &early, 4);
  const std::string path = Write(dir, "iotalog.log", bytes);
  auto log = OpenTarget(dir, ExpectedLayout());
  ASSERT_TRUE(log);
  auto report = import_iotawatt_log(path, *log);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_FALSE(report.value().wrapped);
  EXPECT_EQ(report.value().damaged, 1);
  EXPECT_EQ(report.value().imported, 99);
  EXPECT_EQ(report.value().last_time, recs[98].time);
}

TEST(IotaWattImport, DamagedRecordsAreSkippedAndCountedNotFatal) {
  TempDir dir;
  const auto recs = History(300);
  auto bytes = FileOf(recs);
  auto flip = [&](size_t record, size_t byte, uint8_t mask) { bytes[record * 256 + byte] ^= mask; };
  flip(20, 3, 0x02);                     // time + 2^25 s: far in the future
  flip(40, 3, 0x02);                     // ... and again (the next good records must not look out of order)
  const uint32_t early = recs[70].time;  // time earlier than the previous good record
  std::memcpy(&bytes[80 * 256], &early, 4);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::memcpy(&bytes[150 * 256 + 16 + 8 * 1], &nan, 8);  // accum1[1] NaN
  flip(200, 136 + 8 * 7 + 7, 0x40);                      // accum2[7] exponent bit: tiny
  flip(250, 136 + 8 * 2 + 6, 0x08);                      // accum2[2] larger (finite)
  flip(120, 16 + 8 * 1 + 6, 0x08);                       // accum1[1] (Wh) jumps: a spike
  // A write torn inside the preformatted tail: time and serial made it, the rest is zero.
  Orig torn = recs.back();
  torn.time += 5;
  torn.serial += 1;
  auto torn_bytes = Bytes(torn);
  std::fill(torn_bytes.begin() + 8, torn_bytes.end(), 0);
  bytes.insert(bytes.end(), torn_bytes.begin(), torn_bytes.end());
  bytes.resize(bytes.size() + 31 * 256, 0);
  const std::string path = Write(dir, "iotalog.log", bytes);

  auto log = OpenTarget(dir, ExpectedLayout());
  ASSERT_TRUE(log);
  auto report = import_iotawatt_log(path, *log);
  ASSERT_TRUE(report.ok()) << report.error();
  const ImportReport& r = report.value();
  EXPECT_EQ(r.layout, ExpectedLayout());
  EXPECT_EQ(r.preformatted, 31);
  EXPECT_EQ(r.records_read, 301);
  const std::vector<size_t> damaged = {20, 40, 80, 120, 150, 200, 250, 300};
  EXPECT_EQ(r.damaged, static_cast<int64_t>(damaged.size()));
  ASSERT_EQ(r.damage.size(), damaged.size());
  for (size_t i = 0; i < damaged.size(); ++i) {
    EXPECT_EQ(r.damage[i].offset, static_cast<int64_t>(damaged[i] * 256));
    EXPECT_NE(r.damage[i].text.find(path + ": record at byte offset " + std::to_string(damaged[i] * 256)),
              std::string::npos)
        << r.damage[i].text;
  }
  EXPECT_NE(r.damage[3].reason.find("accum1[1] (Wh) changes by more"), std::string::npos) << r.damage[3].reason;
  EXPECT_NE(r.damage[4].reason.find("accum1[1] is not a number"), std::string::npos) << r.damage[4].reason;
  EXPECT_EQ(r.imported, 300 - 7);
  std::vector<Orig> good;
  for (size_t k = 0; k < recs.size(); ++k) {
    if (std::find(damaged.begin(), damaged.end(), k) == damaged.end()) good.push_back(recs[k]);
  }
  ExpectImported(*log, good, ExpectedLayout());
  ExpectTotals(r, recs.back());
  for (size_t k : damaged) {
    if (k < recs.size()) {
      EXPECT_FALSE(log->read(recs[k].time).value().has_value()) << k;
    }
  }
}

TEST(IotaWattImport, DetectsChannelKinds) {
  // Channel 3: 230 V at 50 Hz (a VT). Channel 4: its accum2 / logHours is 100, outside 40..70
  // (not a VT although its accum1 exceeds its accum2). Channel 7: 55 W / 55.5 VA (a CT: its
  // Wh does not exceed its VAh). Channel 9: all zero (unused).
  TempDir dir;
  auto recs = History(50);
  for (auto& r : recs) {
    r.a1[3] = 230 * r.hours;
    r.a2[3] = 50 * r.hours;
    r.a1[4] = 500 * r.hours;
    r.a2[4] = 100 * r.hours;
  }
  const std::string path = Write(dir, "iotalog.log", FileOf(recs));
  auto layout = detect_iotawatt_layout(path);
  ASSERT_TRUE(layout.ok()) << layout.error();
  Layout want = ExpectedLayout();
  want[3] = ChannelKind::kVoltage;
  want[4] = ChannelKind::kCurrent;
  EXPECT_EQ(layout.value(), want);
}

TEST(IotaWattImport, HistoryLogAndIntervalMismatch) {
  TempDir dir;
  // A 60 s histlog.log into a 60 s log.
  const auto hist = History(90, 60);
  const std::string hpath = Write(dir, "histlog.log", FileOf(hist));
  {
    TempDir tdir;
    auto log = OpenTarget(tdir, ExpectedLayout(), 60);
    ASSERT_TRUE(log);
    auto report = import_iotawatt_log(hpath, *log);
    ASSERT_TRUE(report.ok()) << report.error();
    EXPECT_EQ(report.value().imported, 90);
    ExpectTotals(report.value(), hist.back());
    ExpectImported(*log, hist, ExpectedLayout());
  }
  // A 5 s file into a 60 s log: records off the minute are skipped, with the reason.
  const auto cur = History(120);
  const std::string cpath = Write(dir, "iotalog.log", FileOf(cur));
  TempDir tdir;
  auto log = OpenTarget(tdir, ExpectedLayout(), 60);
  ASSERT_TRUE(log);
  auto report = import_iotawatt_log(cpath, *log);
  ASSERT_TRUE(report.ok()) << report.error();
  int64_t on_minute = 0;
  for (const auto& o : cur) on_minute += o.time % 60 == 0 ? 1 : 0;
  EXPECT_EQ(report.value().imported, on_minute);
  EXPECT_EQ(report.value().skipped_off_grid, 120 - on_minute);
  ASSERT_EQ(report.value().skipped_reasons.size(), 1u);
  EXPECT_NE(report.value().skipped_reasons[0].find("60 s interval"), std::string::npos);
}

TEST(IotaWattImport, LayoutMismatchAndBadFilesAreClearErrors) {
  TempDir dir;
  const std::string path = Write(dir, "iotalog.log", FileOf(History(30)));
  Layout wrong = ExpectedLayout();
  wrong[2] = ChannelKind::kVoltage;
  auto log = OpenTarget(dir, wrong);
  ASSERT_TRUE(log);
  auto report = import_iotawatt_log(path, *log);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().find("channel 2 is a CT in the file but VT in the target"), std::string::npos)
      << report.error();
  EXPECT_FALSE(log->last_time());  // nothing written

  // An explicit layout is used as given: channel 7 declared unused is not imported.
  Layout given = ExpectedLayout();
  given[7] = ChannelKind::kUnused;
  ImportOptions options;
  options.layout = given;
  TempDir tdir;
  auto target = OpenTarget(tdir, ExpectedLayout());  // the target may have more channels in use
  ASSERT_TRUE(target);
  auto ok = import_iotawatt_log(path, *target, options);
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(ok.value().imported, 30);
  EXPECT_EQ(target->last().value()->channels[7].vah.micros(), 0);

  auto missing = import_iotawatt_log(dir.sub("nope.log"), *target);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("nope.log"), std::string::npos);
  const std::string zeros = Write(dir, "zeros.log", std::vector<uint8_t>(48 * 256, 0));
  auto empty = import_iotawatt_log(zeros, *target);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().find("no records"), std::string::npos);
}

}  // namespace
}  // namespace iw::datalog
