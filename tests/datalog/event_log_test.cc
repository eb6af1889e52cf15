#include "datalog/event_log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "datalog/datalog_testing.h"
#include "datalog/event_record.h"
#include "testing/fault_env.h"

namespace iw::datalog {
namespace {

using testing::TempDir;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kT0 = int64_t{1'750'000'000} * kSecond;

// The n-th event of a test: a distinct time, channel and value in every field.
measure::StepEvent EventNumber(int n) {
  measure::StepEvent e;
  e.time_ns = kT0 + int64_t{n} * 7 * kSecond + n % 5 * 20'000'000;
  e.channel = static_cast<uint16_t>(1 + n % 4);
  e.kind = static_cast<measure::StepKind>(n % 3);
  e.before_w = 10.5 * n;
  e.after_w = 10.5 * n + 100 + n;
  e.delta_w = 100 + n;
  e.delta_var = -3.25 * n;
  e.after_amps = 0.5 + n / 100.0;
  e.inrush_amps = 1.5 + n;
  e.inrush_peak_amps = 2.5 + n;
  e.inrush_cycles = static_cast<uint32_t>(n % 11);
  e.transient_cycles = static_cast<uint32_t>(20 + n);
  e.settled = n % 7 != 0;
  return e;
}

void ExpectSame(const measure::StepEvent& a, const measure::StepEvent& b) {
  EXPECT_EQ(a.time_ns, b.time_ns);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.before_w, b.before_w);
  EXPECT_EQ(a.after_w, b.after_w);
  EXPECT_EQ(a.delta_w, b.delta_w);
  EXPECT_EQ(a.delta_var, b.delta_var);
  EXPECT_EQ(a.after_amps, b.after_amps);
  EXPECT_EQ(a.inrush_amps, b.inrush_amps);
  EXPECT_EQ(a.inrush_peak_amps, b.inrush_peak_amps);
  EXPECT_EQ(a.inrush_cycles, b.inrush_cycles);
  EXPECT_EQ(a.transient_cycles, b.transient_cycles);
  EXPECT_EQ(a.settled, b.settled);
}

std::unique_ptr<EventLog> OpenOrDie(const std::string& dir, EventLogOptions o = {}) {
  auto log = EventLog::Open(dir, o);
  EXPECT_TRUE(log.ok()) << log.error();
  return log.ok() ? std::move(log.value()) : nullptr;
}

std::vector<measure::StepEvent> ReadAll(const EventLog& log, std::optional<uint16_t> channel = std::nullopt) {
  auto read = log.read(0, INT64_MAX, channel, 1'000'000);
  EXPECT_TRUE(read.ok()) << read.error();
  return read.ok() ? read.value().events : std::vector<measure::StepEvent>{};
}

TEST(EventRecord, EveryFieldRoundTripsAndAnyFlippedByteIsRefused) {
  const measure::StepEvent e = EventNumber(13);
  std::string bytes;
  event_format::append_record(e, &bytes);
  ASSERT_EQ(bytes.size(), event_format::kRecordHeaderBytes + event_format::kPayloadV1Bytes);
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  measure::StepEvent back;
  size_t used = 0;
  ASSERT_EQ(event_format::decode_record(data, bytes.size(), &back, &used), event_format::RecordState::kGood);
  EXPECT_EQ(used, bytes.size());
  ExpectSame(back, e);
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    const auto state =
        event_format::decode_record(reinterpret_cast<const uint8_t*>(bad.data()), bad.size(), &back, &used);
    EXPECT_NE(state, event_format::RecordState::kGood) << "byte " << i;
  }
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(event_format::decode_record(data, n, &back, &used), event_format::RecordState::kTruncated) << n;
  }
}

TEST(EventLog, EventsReadBackInTimeOrderByRangeAndChannel) {
  TempDir dir;
  auto log = OpenOrDie(dir.path());
  ASSERT_TRUE(log);
  std::vector<measure::StepEvent> all;
  for (int n = 0; n < 50; ++n) all.push_back(EventNumber(n));
  // Appended out of order, as detectors of different channels confirm at different delays.
  std::vector<measure::StepEvent> shuffled(all.rbegin(), all.rend());
  ASSERT_TRUE(log->append(std::span(shuffled).first(25), 0).ok());
  ASSERT_TRUE(log->append(std::span(shuffled).subspan(25), 0).ok());
  const auto back = ReadAll(*log);
  ASSERT_EQ(back.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) ExpectSame(back[i], all[i]);

  auto range = log->read(all[10].time_ns, all[20].time_ns, std::nullopt, 100);
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range.value().events.size(), 10u);  // end exclusive
  EXPECT_EQ(range.value().events.front().time_ns, all[10].time_ns);
  for (const auto& e : ReadAll(*log, 2)) EXPECT_EQ(e.channel, 2);
  EXPECT_EQ(ReadAll(*log, 2).size(), 13u);  // n % 4 == 1 for n < 50: 1, 5 ... 49

  auto limited = log->read(0, INT64_MAX, std::nullopt, 5);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited.value().events.size(), 5u);
  EXPECT_TRUE(limited.value().more);
  EXPECT_EQ(limited.value().events.back().time_ns, all[4].time_ns);  // the earliest five
  EXPECT_EQ(log->info().events, 50u);
}

TEST(EventLog, AReopenedLogKeepsEverythingAndAppendsAfterIt) {
  TempDir dir;
  {
    auto log = OpenOrDie(dir.path());
    for (int n = 0; n < 10; ++n) ASSERT_TRUE(log->append(std::vector{EventNumber(n)}, 0).ok());
  }
  auto log = OpenOrDie(dir.path());
  ASSERT_TRUE(log);
  EXPECT_EQ(log->info().segments, 1u);  // the good newest segment is continued
  ASSERT_TRUE(log->append(std::vector{EventNumber(10)}, 0).ok());
  const auto back = ReadAll(*log);
  ASSERT_EQ(back.size(), 11u);
  ExpectSame(back.back(), EventNumber(10));
}

// Options for a log on `env` whose segments hold about 5 events, so pages cross segments.
EventLogOptions SmallSegments(iw::testing::FaultEnv& env) {
  EventLogOptions o;
  o.env = &env;
  o.segment_bytes = 500;
  return o;
}

// Follows the log from `from` with pages of `page` events to the end; returns them in the
// order read and leaves `from` at the end.
std::vector<measure::StepEvent> FollowAll(const EventLog& log, EventLogPosition& from, size_t page,
                                          int64_t min_ns = 0) {
  std::vector<measure::StepEvent> out;
  for (int guard = 0; guard < 10'000; ++guard) {
    auto tail = log.read_after(from, min_ns, page);
    EXPECT_TRUE(tail.ok()) << tail.error();
    if (!tail.ok()) break;
    EXPECT_LE(tail.value().events.size(), page);
    EXPECT_GE(tail.value().next, from);  // positions only grow
    out.insert(out.end(), tail.value().events.begin(), tail.value().events.end());
    from = tail.value().next;
    if (!tail.value().more) break;
  }
  return out;
}

// A follower sees every event once, in append order, even one appended after a later event
// (a long transient confirmed after a short one): "newer than the last time seen" would miss it.
TEST(EventLog, AFollowerGetsEveryEventOnceInAppendOrder) {
  TempDir dir;
  iw::testing::FaultEnv env;
  auto log = OpenOrDie(dir.path(), SmallSegments(env));
  EventLogPosition from = log->end();
  EXPECT_EQ(from, EventLogPosition{});
  std::vector<measure::StepEvent> appended;
  for (int n = 0; n < 30; ++n) {
    const measure::StepEvent e = EventNumber(n % 2 == 0 ? n + 1 : n - 1);  // times go back every other event
    ASSERT_TRUE(log->append(std::vector{e}, 0).ok());
    appended.push_back(e);
  }
  const auto first = FollowAll(*log, from, 7);
  ASSERT_EQ(first.size(), appended.size());
  for (size_t i = 0; i < first.size(); ++i) ExpectSame(first[i], appended[i]);
  EXPECT_EQ(from, log->end());
  EXPECT_GT(from.segment, 1u);

  auto nothing = log->read_after(from, 0, 7);
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing.value().events.empty());
  EXPECT_EQ(nothing.value().next, from);
  ASSERT_TRUE(log->append(std::vector{EventNumber(99)}, 0).ok());
  const auto later = FollowAll(*log, from, 7);
  ASSERT_EQ(later.size(), 1u);
  ExpectSame(later[0], EventNumber(99));
}

TEST(EventLog, AFollowerPassesOverOlderEventsAndCountsThem) {
  TempDir dir;
  iw::testing::FaultEnv env;
  auto log = OpenOrDie(dir.path(), SmallSegments(env));
  const EventLogPosition start = log->end();
  for (int n = 0; n < 40; ++n) ASSERT_TRUE(log->append(std::vector{EventNumber(n)}, 0).ok());
  const int64_t min_ns = EventNumber(33).time_ns;
  auto tail = log->read_after(start, min_ns, 100);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail.value().older, 33u);  // whole segments counted from the index, the rest read
  ASSERT_EQ(tail.value().events.size(), 7u);
  ExpectSame(tail.value().events.front(), EventNumber(33));
  EXPECT_FALSE(tail.value().more);
  EXPECT_EQ(tail.value().next, log->end());
}

// A position survives a restart (it names a file and an offset), and one whose segment
// retention deleted goes on from the oldest segment left.
TEST(EventLog, APositionOutlivesAReopenAndRetention) {
  TempDir dir;
  iw::testing::FaultEnv env;
  EventLogOptions o = SmallSegments(env);
  o.max_bytes = 2000;
  EventLogPosition from;
  {
    auto log = OpenOrDie(dir.path(), o);
    for (int n = 0; n < 3; ++n) ASSERT_TRUE(log->append(std::vector{EventNumber(n)}, 0).ok());
    from = log->end();
  }
  auto log = OpenOrDie(dir.path(), o);
  EXPECT_EQ(log->end(), from);
  ASSERT_TRUE(log->append(std::vector{EventNumber(3)}, 0).ok());
  EventLogPosition again = from;
  const auto next = FollowAll(*log, again, 10);
  ASSERT_EQ(next.size(), 1u);
  ExpectSame(next[0], EventNumber(3));

  for (int n = 4; n < 60; ++n) ASSERT_TRUE(log->append(std::vector{EventNumber(n)}, 0).ok());
  const auto kept = ReadAll(*log);
  ASSERT_LT(kept.size(), 56u);  // retention deleted the segment `from` points into
  const auto rest = FollowAll(*log, from, 10);
  ASSERT_EQ(rest.size(), kept.size());
  for (size_t i = 0; i < rest.size(); ++i) ExpectSame(rest[i], kept[i]);
}

TEST(EventLog, OneWriterAtATime) {
  TempDir dir;
  auto first = OpenOrDie(dir.path());
  auto second = EventLog::Open(dir.path(), {});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find(dir.path()), std::string::npos) << second.error();
}

TEST(EventLog, RetentionDropsTheOldestSegmentsBySizeAndByAge) {
  TempDir dir;
  iw::testing::FaultEnv env;  // syncs are not passed to the disk: 200 appends stay fast
  EventLogOptions o;
  o.env = &env;
  o.segment_bytes = 1000;  // about 11 events a segment
  o.max_bytes = 5000;
  auto log = OpenOrDie(dir.path(), o);
  for (int n = 0; n < 200; ++n) ASSERT_TRUE(log->append(std::vector{EventNumber(n)}, 0).ok());
  const EventLogInfo info = log->info();
  EXPECT_LE(info.bytes, o.max_bytes);
  EXPECT_GE(info.bytes, o.max_bytes - 1100);
  const auto back = ReadAll(*log);
  ASSERT_FALSE(back.empty());
  ExpectSame(back.back(), EventNumber(199));  // the newest are kept, in one run
  for (size_t i = 1; i < back.size(); ++i)
    EXPECT_EQ(back[i].time_ns, EventNumber(200 - static_cast<int>(back.size() - i)).time_ns);

  // Two years and a day after the last event, everything but the active segment goes.
  const int64_t later_s = EventNumber(199).time_ns / kSecond + 731 * 86400;
  ASSERT_TRUE(log->append(std::vector{EventNumber(200)}, later_s).ok());
  EXPECT_EQ(log->info().segments, 1u);
}

TEST(EventLog, ATornTailIsLeftAloneAndAppendsGoToANewSegment) {
  TempDir dir;
  std::string path;
  {
    auto log = OpenOrDie(dir.path());
    for (int n = 0; n < 5; ++n) ASSERT_TRUE(log->append(std::vector{EventNumber(n)}, 0).ok());
    path = dir.path() + "/000000000001.iwe";
  }
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const size_t size = bytes.size();
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, size - 30);  // the last record torn
  auto log = OpenOrDie(dir.path());
  ASSERT_TRUE(log);
  EXPECT_EQ(log->info().damaged_segments, 1u);
  EXPECT_EQ(ReadAll(*log).size(), 4u);
  ASSERT_TRUE(log->append(std::vector{EventNumber(5)}, 0).ok());
  EXPECT_EQ(log->info().segments, 2u);
  EXPECT_EQ(ReadAll(*log).size(), 5u);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  EXPECT_EQ(static_cast<size_t>(in.tellg()), size - 30);  // nothing rewritten
}

TEST(EventLog, AFileThatIsNotASegmentIsLeftAlone) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  std::ofstream(dir.path() + "/000000000001.iwe") << "not an event segment at all";
  std::ofstream(dir.path() + "/notes.txt") << "mine";
  auto log = OpenOrDie(dir.path());
  ASSERT_TRUE(log);
  EXPECT_EQ(log->info().other_files, 2u);
  ASSERT_TRUE(log->append(std::vector{EventNumber(0)}, 0).ok());
  EXPECT_EQ(ReadAll(*log).size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/000000000001.iwe"));
}

// The disk fills: the append fails naming the file, nothing half-written is read, and the
// next append after space returns works.
TEST(EventLog, ADiskFullAppendFailsCleanlyAndALaterOneWorks) {
  TempDir dir;
  iw::testing::FaultEnv env;
  EventLogOptions o;
  o.env = &env;
  auto log = OpenOrDie(dir.path(), o);
  ASSERT_TRUE(log->append(std::vector{EventNumber(0)}, 0).ok());
  iw::testing::Fault full;
  full.path_part = ".iwe";
  full.partial_bytes = 40;
  env.add_fault(full);
  Status st = log->append(std::vector{EventNumber(1), EventNumber(2)}, 0);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(".iwe"), std::string::npos) << st.message();
  EXPECT_EQ(ReadAll(*log).size(), 1u);
  ASSERT_TRUE(log->append(std::vector{EventNumber(3)}, 0).ok());
  EXPECT_EQ(ReadAll(*log).size(), 2u);
  log.reset();
  auto again = OpenOrDie(dir.path(), o);
  EXPECT_EQ(again->info().damaged_segments, 0u);
  EXPECT_EQ(ReadAll(*again).size(), 2u);
}

// A power cut at every mutating call of a run of appends: after it, the log opens, every event
// whose append returned before the cut reads back exactly, nothing unknown appears, and appends
// work again.
TEST(EventLog, APowerCutAnywhereKeepsEveryAcknowledgedEvent) {
  int cuts = 0;
  for (int64_t cut_at = 0;; ++cut_at) {
    TempDir dir;
    iw::testing::FaultEnv env;
    EventLogOptions o;
    o.env = &env;
    o.segment_bytes = 400;  // segments roll within the run
    std::vector<measure::StepEvent> acknowledged;
    bool cut = false;
    {
      auto log = OpenOrDie(dir.path(), o);
      ASSERT_TRUE(log);
      env.power_off_at(env.mutations() + cut_at);
      for (int n = 0; n < 12; ++n) {
        if (!log->append(std::vector{EventNumber(n)}, 0).ok()) {
          cut = true;
          break;
        }
        acknowledged.push_back(EventNumber(n));
      }
    }
    if (!cut) break;  // the run made fewer mutating calls than cut_at: every point was cut
    ++cuts;
    const std::string chose = env.power_cut(static_cast<uint64_t>(cut_at));
    auto log = EventLog::Open(dir.path(), o);
    ASSERT_TRUE(log.ok()) << "cut at " << cut_at << ": " << log.error() << "\n" << chose;
    const auto back = ReadAll(*log.value());
    ASSERT_GE(back.size(), acknowledged.size()) << "cut at " << cut_at << "\n" << chose;
    ASSERT_LE(back.size(), acknowledged.size() + 1) << "cut at " << cut_at;  // the one in flight may survive
    for (size_t i = 0; i < acknowledged.size(); ++i) ExpectSame(back[i], acknowledged[i]);
    ASSERT_TRUE(log.value()->append(std::vector{EventNumber(100)}, 0).ok()) << "cut at " << cut_at;
    EXPECT_EQ(ReadAll(*log.value()).size(), back.size() + 1);
  }
  EXPECT_GE(cuts, 20);
}

}  // namespace
}  // namespace iw::datalog
