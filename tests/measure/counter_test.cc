#include "measure/counter.h"

#include <gtest/gtest.h>

#include "measure/bucket.h"

namespace iw::measure {
namespace {

TEST(Counter, KeepsEveryCycleOfAYear) {
  // A 1.234 W load credited every 20 ms for 30 days: a plain double sum drifts, a Counter
  // matches the closed form.
  Counter counter;
  double naive = 0;
  const double per_cycle = 1.234 * 0.02 / 3600;
  const int64_t cycles = 30LL * 24 * 3600 * 50;
  for (int64_t k = 0; k < cycles; ++k) {
    counter.add(per_cycle);
    naive += per_cycle;
  }
  const double exact = 1.234 * 30 * 24;
  EXPECT_NEAR(counter.value(), exact, exact * 1e-12);
  EXPECT_GT(std::abs(naive - exact), std::abs(counter.value() - exact));
}

TEST(Counter, SubtractsBackExactly) {
  Counter c;
  c.add(10.5);
  c.add(-0.25);
  EXPECT_DOUBLE_EQ(c.value(), 10.25);
}

TEST(Bucket, HoldsLastValueAcrossGaps) {
  Bucket b;
  ChannelValues v;
  v.watts = 3600;
  b.credit(0, 1, v);
  b.age_to(3);  // 2 s of hold
  EXPECT_NEAR(b.counters().wh_import.value(), 3.0, 1e-12);
  EXPECT_NEAR(b.counters().seconds.value(), 3.0, 1e-12);
}

TEST(Bucket, SplitsImportAndExportBySign) {
  Bucket b;
  ChannelValues in, out;
  in.watts = 3600;
  out.watts = -1800;
  b.credit(0, 1, in);
  b.credit(1, 3, out);
  EXPECT_NEAR(b.counters().wh_import.value(), 1.0, 1e-12);
  EXPECT_NEAR(b.counters().wh_export.value(), 1.0, 1e-12);
}

TEST(Bucket, AMarkReadsTheCountersAtItsInstant) {
  Bucket b;
  b.mark_every(1'500'000'000, 1'000'000'000, 0);
  ChannelValues v;
  v.watts = 3600;
  b.credit(0, 1, v);
  b.credit(1, 2, v);
  const ChannelCounters at = b.take_mark();
  EXPECT_NEAR(at.wh_import.value(), 1.5, 1e-12);
  EXPECT_NEAR(at.seconds.value(), 1.5, 1e-12);
}

// A circuit off until just after a mark and on at 3600 W once the span holding the mark has been
// credited: the reading is what was counted up to the mark (nothing), never less than the
// previous mark's.
TEST(Bucket, AReadingDoesNotDependOnWhatWasCreditedAfterIt) {
  Bucket b;
  b.mark_every(1'000'000'000, 1'000'000'000, 0);
  ChannelValues off, on;
  on.watts = 3600;
  b.credit(0, 1.01, off);
  b.credit(1.01, 1.03, on);
  b.credit(1.03, 2.05, on);
  const ChannelCounters first = b.take_mark();
  const ChannelCounters second = b.take_mark();
  EXPECT_EQ(first.wh_import.value(), 0);
  EXPECT_NEAR(first.seconds.value(), 1.0, 1e-12);
  EXPECT_NEAR(second.wh_import.value(), 0.99, 1e-12);
}

// The sampler started 12 ms before a whole second and the first cycle began after it: the mark
// at that second reads the counters restored from the log, not those less the first cycle.
TEST(Bucket, AMarkBeforeTheFirstCreditReadsTheRestoredCounters) {
  Bucket b;
  b.mark_every(1'000'000'000, 1'000'000'000, 988'000'000);  // the mark is at 0.012 s
  b.mutable_counters().seconds.set(172'800'000'000);
  b.mutable_counters().wh_import.set(5'000'000);
  ChannelValues v;
  v.watts = 3600;
  b.credit(0.02, 0.04, v);
  const ChannelCounters at = b.take_mark();
  EXPECT_EQ(at.seconds.micros(), 172'800'000'000);
  EXPECT_EQ(at.wh_import.micros(), 5'000'000);
}

TEST(Bucket, ABucketNeverCreditedReadsWhatItWasRestoredTo) {
  Bucket b;
  b.mark_every(1'000'000'000, 1'000'000'000, 0);
  b.mutable_counters().wh_import.set(7'000'000);
  EXPECT_EQ(b.take_mark().wh_import.micros(), 7'000'000);
  EXPECT_EQ(b.take_mark().wh_import.micros(), 7'000'000);
  ChannelValues v;
  v.watts = 3600;
  b.credit(2.5, 3.5, v);  // a later first credit records marks from the next one on
  EXPECT_NEAR(b.take_mark().wh_import.value(), 7.5, 1e-9);
}

}  // namespace
}  // namespace iw::measure
