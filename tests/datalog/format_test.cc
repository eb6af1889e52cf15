#include "datalog/format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "datalog/crc32c.h"
#include "datalog/datalog_testing.h"

namespace iw::datalog {
namespace {

using testing::MakeRecord;
using testing::TestLayout;

TEST(Crc32c, KnownValues) {
  const std::string check = "123456789";
  EXPECT_EQ(crc32c(reinterpret_cast<const uint8_t*>(check.data()), check.size()), 0xE3069283u);
  uint8_t zeros[32] = {};
  EXPECT_EQ(crc32c(zeros, 32), 0x8A9136AAu);  // RFC 3720 B.4
  // Extending piecewise equals one pass, whatever the split.
  std::vector<uint8_t> data(100);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7 + 3);
  const uint32_t whole = crc32c(data.data(), data.size());
  for (size_t split = 0; split <= data.size(); split += 13) {
    EXPECT_EQ(crc32c_extend(crc32c(data.data(), split), data.data() + split, data.size() - split), whole);
  }
}

TEST(Format, SizesOfTheIotaWattLayout) {
  EXPECT_EQ(format::record_size(testing::IotaWattLayout()), 712u);
  EXPECT_EQ(format::header_size(15), 64u);
  EXPECT_EQ(format::record_size(TestLayout()), 24u + 8u * (2 + 6 + 6 + 6));
}

TEST(Format, HeaderRoundTripAndDamage) {
  auto h = format::make_header(1700006400, 5, 17280, TestLayout());
  std::vector<uint8_t> bytes(h.header_size);
  format::encode_header(h, bytes.data());
  auto back = format::decode_header(bytes.data(), bytes.size(), 17280);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->start, h.start);
  EXPECT_EQ(back->interval_s, 5u);
  EXPECT_EQ(back->slot_count, 17280u);
  EXPECT_EQ(back->record_size, h.record_size);
  EXPECT_EQ(back->layout, TestLayout());
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto bad = bytes;
    bad[i] ^= 0x10;
    EXPECT_FALSE(format::decode_header(bad.data(), bad.size(), 17280).ok()) << "byte " << i;
  }
  EXPECT_FALSE(format::decode_header(bytes.data(), 30, 0).ok());
  // A segment may not cross its span boundary.
  auto crossing = format::make_header(1700006400 + 5, 5, 17280, TestLayout());
  format::encode_header(crossing, bytes.data());
  EXPECT_FALSE(format::decode_header(bytes.data(), bytes.size(), 17280).ok());
}

// Found by fuzz/datalog_record_fuzz: a well-sealed header whose end (start + slot_count *
// interval) is beyond int64 overflowed in the span check. It is a bad header, with or without
// a span.
TEST(Format, HeaderEndingBeyondInt64IsBad) {
  const int64_t last_start = INT64_MAX / 5 * 5;
  for (const int64_t span : {int64_t{0}, int64_t{17280}}) {
    auto h = format::make_header(last_start, 5, 0xFFFFFFFFu, TestLayout());
    std::vector<uint8_t> bytes(h.header_size);
    format::encode_header(h, bytes.data());
    EXPECT_FALSE(format::decode_header(bytes.data(), bytes.size(), span).ok()) << span;
    h = format::make_header(0, 0xFFFFFFFFu, 0xFFFFFFFFu, TestLayout());  // the product alone overflows
    format::encode_header(h, bytes.data());
    EXPECT_FALSE(format::decode_header(bytes.data(), bytes.size(), span).ok()) << span;
  }
  // The last segment that fits is fine.
  auto h = format::make_header(last_start - 5, 5, 1, TestLayout());
  std::vector<uint8_t> bytes(h.header_size);
  format::encode_header(h, bytes.data());
  EXPECT_TRUE(format::decode_header(bytes.data(), bytes.size(), 0).ok());
}

TEST(Format, RecordRoundTripAndClassification) {
  const Layout layout = TestLayout();
  const size_t size = format::record_size(layout);
  std::vector<uint8_t> bytes(size);
  Record r = MakeRecord(layout, 1700006405);
  r.flags = kFlagStart;
  format::encode_record(layout, r, bytes.data());
  Record back;
  ASSERT_EQ(format::decode_record(layout, bytes.data(), size, r.time, &back), format::SlotState::kGood);
  EXPECT_TRUE(testing::Matches(layout, back));
  EXPECT_EQ(back.flags, kFlagStart);
  EXPECT_DOUBLE_EQ(back.channels[1].seconds.value(), static_cast<double>(r.monitored_us) / 1e6);
  // In another slot it does not validate.
  EXPECT_EQ(format::decode_record(layout, bytes.data(), size, r.time + 5, nullptr), format::SlotState::kDamaged);
  // Any flipped bit is damage.
  for (size_t i = 0; i < size; ++i) {
    auto bad = bytes;
    bad[i] ^= 0x01;
    EXPECT_EQ(format::decode_record(layout, bad.data(), size, r.time, nullptr), format::SlotState::kDamaged)
        << "byte " << i;
  }
  std::vector<uint8_t> zeros(size, 0);
  EXPECT_EQ(format::decode_record(layout, zeros.data(), size, 0, nullptr), format::SlotState::kEmpty);
  // A zero record with a correct CRC field is still not a record at time 0... it is empty.
  EXPECT_NE(crc_mask(crc32c(zeros.data(), size - 4)), 0u);
}

TEST(Format, SegmentNames) {
  EXPECT_EQ(format::segment_name(1700006400), "000001700006400.iwl");
  int64_t start = 0;
  EXPECT_TRUE(format::parse_segment_name("000001700006400.iwl", &start));
  EXPECT_EQ(start, 1700006400);
  EXPECT_FALSE(format::parse_segment_name("000001700006400.iwl.damaged", &start));
  EXPECT_FALSE(format::parse_segment_name("000001700006400.iwl.tmp", &start));
  EXPECT_FALSE(format::parse_segment_name("LOCK", &start));
  EXPECT_FALSE(format::parse_segment_name("00000170000640x.iwl", &start));
}

}  // namespace
}  // namespace iw::datalog
