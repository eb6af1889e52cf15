#include "measure/bucket.h"

#include <gtest/gtest.h>

namespace iw::measure {
namespace {

ChannelValues Load(double watts) {
  ChannelValues v;
  v.watts = watts;
  v.va = watts;
  v.volts = 230;
  v.amps = watts / 230;
  v.hz = 50;
  return v;
}

// A checkpoint before the first cycle (the sampler started just before a whole second): the
// counters are the restored ones, never below them.
TEST(BucketStart, ACheckpointBeforeTheFirstSpanReadsTheRestoredCounters) {
  Bucket b;
  b.mutable_counters().wh_import.set(5'000'000);      // 5 Wh restored
  b.mutable_counters().seconds.set(172'800'000'000);  // two days monitored
  b.credit(70.0032, 70.0232, Load(1000));             // the first cycle starts 3.2 ms after the checkpoint
  const ChannelCounters at = b.counters_at(70.0);
  EXPECT_EQ(at.wh_import.micros(), 5'000'000);
  EXPECT_EQ(at.seconds.micros(), 172'800'000'000);
  EXPECT_GE(at.seconds.value(), 172'800.0);
}

}  // namespace
}  // namespace iw::measure
