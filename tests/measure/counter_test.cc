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

TEST(Bucket, CountersAtAnInstantInsideTheLastSpan) {
  Bucket b;
  ChannelValues v;
  v.watts = 3600;
  b.credit(0, 1, v);
  b.credit(1, 2, v);
  EXPECT_NEAR(b.counters_at(1.5).wh_import.value(), 1.5, 1e-12);
  EXPECT_NEAR(b.counters_at(1.5).seconds.value(), 1.5, 1e-12);
}

}  // namespace
}  // namespace iw::measure
