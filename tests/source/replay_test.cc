#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "source/crc32.h"
#include "source/recording_source.h"
#include "source/replay_format.h"
#include "source/replay_source.h"
#include "source/replay_writer.h"

namespace iw::source {
namespace {

using measure::SampleBlock;

SampleBlock MakeBlock(int64_t start, size_t frames, std::vector<uint8_t> scan, int bits = 12, uint16_t seed = 0) {
  SampleBlock b;
  b.start_ns = start;
  b.conversion_ns = 12'987.5;
  b.adc_bits = bits;
  b.scan = std::move(scan);
  b.codes.resize(frames * b.scan.size());
  for (size_t i = 0; i < b.codes.size(); ++i) {
    b.codes[i] = static_cast<uint16_t>((seed + i * 2654435761u) % (1u << bits));
  }
  return b;
}

uint64_t BlockEnd(const std::vector<uint64_t>& offsets, size_t file_size, size_t i) {
  return i + 1 < offsets.size() ? offsets[i + 1] : file_size;
}

void ExpectSameBlock(const SampleBlock& a, const SampleBlock& b) {
  EXPECT_EQ(a.start_ns, b.start_ns);
  EXPECT_EQ(a.conversion_ns, b.conversion_ns);
  EXPECT_EQ(a.adc_bits, b.adc_bits);
  EXPECT_EQ(a.scan, b.scan);
  EXPECT_EQ(a.codes, b.codes);
  EXPECT_EQ(a.slot_offset_ns, b.slot_offset_ns);
}

// Offsets as Mcp3x08Source makes them for a two-chip scan: uneven, not multiples of anything.
std::vector<double> TwoChipOffsets(size_t slots) {
  std::vector<double> offsets(slots);
  for (size_t s = 0; s < slots; ++s) offsets[s] = -3.25 + 24'999.7 * static_cast<double>(s) + (s >= 8 ? 30'123.4 : 0);
  return offsets;
}

// Little-endian byte builders, independent of replay_format.h, to spell files out by hand.
void PutLe(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void PutF64(std::vector<uint8_t>& out, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  PutLe(out, bits, 8);
}
uint32_t Crc(const std::vector<uint8_t>& bytes, size_t from, size_t size) {
  return crc32(std::span<const uint8_t>(bytes.data() + from, size));
}
// Header of the given version: magic, u32 version, u8 adc_bits, 3 reserved, u32 CRC.
std::vector<uint8_t> Header(uint32_t version, int adc_bits) {
  std::vector<uint8_t> out = {'I', 'W', 'R', 'E', 'P', 'L', 'A', 'Y'};
  PutLe(out, version, 4);
  PutLe(out, static_cast<uint64_t>(adc_bits), 1);
  PutLe(out, 0, 3);
  PutLe(out, Crc(out, 0, out.size()), 4);
  return out;
}
// Appends a version 1 block: u32 L | i64 start | f64 conversion | u16 S | u32 F | scan | codes | CRC.
void AppendV1Block(std::vector<uint8_t>& out, const SampleBlock& b) {
  const size_t at = out.size();
  PutLe(out, 22 + b.slots() + 2 * b.codes.size(), 4);
  PutLe(out, static_cast<uint64_t>(b.start_ns), 8);
  PutF64(out, b.conversion_ns);
  PutLe(out, b.slots(), 2);
  PutLe(out, b.frames(), 4);
  out.insert(out.end(), b.scan.begin(), b.scan.end());
  for (uint16_t c : b.codes) PutLe(out, c, 2);
  PutLe(out, Crc(out, at, out.size() - at), 4);
}
// Recomputes the CRC of the block at `at` after a deliberate edit, so the reader's checks
// behind the CRC are reached.
void Reseal(std::vector<uint8_t>& bytes, size_t at) {
  const uint32_t length = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (uint32_t{bytes[at + 3]} << 24);
  const uint32_t crc = Crc(bytes, at, 4 + length);
  for (int i = 0; i < 4; ++i) bytes[at + 4 + length + static_cast<size_t>(i)] = static_cast<uint8_t>(crc >> (8 * i));
}

class ReplayTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) { return ::testing::TempDir() + "/replay_test_" + name; }

  // Writes three small blocks, the middle one with slot offsets; returns their offsets in the file.
  std::vector<uint64_t> WriteThree(const std::string& path) {
    auto w = ReplayWriter::Create(path, 12).value();
    std::vector<uint64_t> offsets;
    for (int i = 0; i < 3; ++i) {
      offsets.push_back(w->bytes_written());
      blocks_.push_back(MakeBlock(1'000'000 * i, 4, {0, 1, 8}, 12, static_cast<uint16_t>(i)));
      if (i == 1) blocks_.back().slot_offset_ns = TwoChipOffsets(3);
      EXPECT_TRUE(w->append(blocks_.back()));
    }
    EXPECT_TRUE(w->close());
    return offsets;
  }

  static std::vector<uint8_t> Load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static void Store(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }

  std::vector<SampleBlock> blocks_;
};

TEST_F(ReplayTest, RoundTripsBlocksExactly) {
  const std::string path = Path("roundtrip");
  auto w = ReplayWriter::Create(path, 10).value();
  std::vector<SampleBlock> written = {MakeBlock(-5, 512, {0, 1, 2, 3, 4, 5, 6}, 10),
                                      MakeBlock(1'700'000'000'000'000'000, 1, {3}, 10, 7),
                                      MakeBlock(42, 900, {5, 0}, 10, 9)};
  written[2].codes[0] = 1023;
  written[2].codes[1] = 0;
  for (const auto& b : written) ASSERT_TRUE(w->append(b));
  EXPECT_EQ(w->blocks_written(), 3u);
  ASSERT_TRUE(w->close());

  auto r = ReplaySource::Open(path);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value()->adc_bits(), 10);
  SampleBlock got;
  got.codes.assign(5000, 77);  // stale storage must be replaced
  for (const auto& b : written) {
    ASSERT_TRUE(r.value()->read(got));
    ExpectSameBlock(got, b);
  }
  const Status end = r.value()->read(got);
  EXPECT_FALSE(end);
  EXPECT_TRUE(end.is_end()) << end.message();
  EXPECT_TRUE(r.value()->stopped());
  EXPECT_EQ(r.value()->valid_bytes(), std::filesystem::file_size(path));
  EXPECT_FALSE(r.value()->read(got));
  std::remove(path.c_str());
}

TEST_F(ReplayTest, WritesVersion2) {
  const std::string path = Path("version2");
  ASSERT_TRUE(ReplayWriter::Create(path, 12).value()->close());
  EXPECT_EQ(Load(path), Header(2, 12));
  EXPECT_EQ(ReplaySource::Open(path).value()->version(), 2u);
  std::remove(path.c_str());
}

TEST_F(ReplayTest, RoundTripsSlotOffsetsAndUniformBlocks) {
  const std::string path = Path("offsets");
  std::vector<SampleBlock> written = {MakeBlock(7, 64, {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15}),
                                      MakeBlock(8, 3, {0, 1, 2}, 12, 1),  // uniform, between two with offsets
                                      MakeBlock(9, 1, {4}, 12, 2), MakeBlock(10, 5, {0, 9}, 12, 3)};
  written[0].slot_offset_ns = TwoChipOffsets(15);
  written[2].slot_offset_ns = {-0.0};
  written[3].slot_offset_ns = {std::numeric_limits<double>::denorm_min(), 1e300};
  auto w = ReplayWriter::Create(path, 12).value();
  for (const auto& b : written) ASSERT_TRUE(w->append(b));
  ASSERT_TRUE(w->close());
  // Payload: 23 fixed + S scan + 8 S offsets + 2 S F codes; the uniform block has no offsets.
  EXPECT_EQ(w->bytes_written(), replay::kHeaderSize + (8 + 23 + 15 * 9 + 2 * 15 * 64) + (8 + 23 + 3 + 2 * 3 * 3) +
                                    (8 + 23 + 9 + 2) + (8 + 23 + 2 * 9 + 2 * 2 * 5));

  auto r = ReplaySource::Open(path).value();
  SampleBlock got;
  for (const auto& want : written) {
    ASSERT_TRUE(r->read(got));
    ExpectSameBlock(got, want);  // bit-exact offsets; a uniform block clears stale ones
    EXPECT_EQ(std::signbit(got.slot_offset_ns.empty() ? 0.0 : got.slot_offset_ns[0]),
              std::signbit(want.slot_offset_ns.empty() ? 0.0 : want.slot_offset_ns[0]));
    for (size_t s = 0; s < want.slots(); ++s) EXPECT_EQ(got.instant_ns(1, s), want.instant_ns(1, s));
  }
  EXPECT_TRUE(r->read(got).is_end());
  std::remove(path.c_str());
}

// A version 1 file spelled out byte by byte (as a version 1 build wrote it) still reads, with
// slot_offset_ns empty (uniform spacing, all version 1 could express).
TEST_F(ReplayTest, ReadsVersion1Files) {
  const std::string path = Path("version1");
  const std::vector<SampleBlock> blocks = {MakeBlock(-5, 4, {0, 1, 8}, 10), MakeBlock(1'000, 1, {3}, 10, 7)};
  std::vector<uint8_t> bytes = Header(1, 10);
  for (const auto& b : blocks) AppendV1Block(bytes, b);
  Store(path, bytes);
  auto r = ReplaySource::Open(path);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.value()->version(), 1u);
  EXPECT_EQ(r.value()->adc_bits(), 10);
  SampleBlock got;
  got.slot_offset_ns = {1, 2, 3};  // stale, must be cleared
  for (const auto& want : blocks) {
    ASSERT_TRUE(r.value()->read(got)) << r.value()->stopped().message();
    ExpectSameBlock(got, want);
  }
  EXPECT_TRUE(r.value()->read(got).is_end());
  EXPECT_EQ(r.value()->valid_bytes(), bytes.size());

  // A version 2 block (one byte longer) in a version 1 file is damage, not a block.
  auto w = ReplayWriter::Create(Path("version1_v2"), 10).value();
  ASSERT_TRUE(w->append(blocks[1]));
  ASSERT_TRUE(w->close());
  const std::vector<uint8_t> v2 = Load(Path("version1_v2"));
  const size_t v2_at = bytes.size();
  bytes.insert(bytes.end(), v2.begin() + replay::kHeaderSize, v2.end());
  Store(path, bytes);
  r = ReplaySource::Open(path);
  ASSERT_TRUE(r.ok());
  for (size_t i = 0; i < blocks.size(); ++i) ASSERT_TRUE(r.value()->read(got));
  const Status s = r.value()->read(got);
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.is_corruption()) << s.to_string();
  EXPECT_NE(s.message().find("corrupt block at offset " + std::to_string(v2_at)), std::string::npos) << s.message();
  EXPECT_EQ(r.value()->valid_bytes(), v2_at);
  std::remove(path.c_str());
  std::remove(Path("version1_v2").c_str());
}

TEST_F(ReplayTest, DamagedSlotOffsetsAreDetected) {
  const std::string path = Path("bad_offsets");
  SampleBlock block = MakeBlock(0, 2, {0, 1, 8, 9});
  block.slot_offset_ns = TwoChipOffsets(4);
  auto w = ReplayWriter::Create(path, 12).value();
  ASSERT_TRUE(w->append(block));
  ASSERT_TRUE(w->close());
  const std::vector<uint8_t> good = Load(path);
  const size_t at = replay::kHeaderSize;
  const size_t flags = at + 4 + 22;
  const size_t first_offset = flags + 1 + 4;
  ASSERT_EQ(good.size(), first_offset + 8 * 4 + 2 * 8 + 4);

  auto read_error = [&](const std::vector<uint8_t>& bytes) {
    Store(path, bytes);
    auto r = ReplaySource::Open(path).value();
    SampleBlock b;
    const Status s = r->read(b);
    EXPECT_FALSE(s.is_end());
    EXPECT_EQ(r->valid_bytes(), at);
    return s.ok() ? std::string("read") : s.message();
  };
  // One bit of any offset byte, or of the flags byte, changed: the block CRC catches it.
  for (size_t pos = flags; pos < first_offset + 8 * 4; ++pos) {
    if (pos > flags && pos < first_offset) continue;  // the scan
    std::vector<uint8_t> bytes = good;
    bytes[pos] ^= static_cast<uint8_t>(1u << (pos % 8));
    EXPECT_NE(read_error(bytes).find("CRC mismatch in block at offset " + std::to_string(at)), std::string::npos)
        << "pos " << pos;
  }
  // CRC-valid but inconsistent: behind the CRC, the reader still refuses them.
  std::vector<uint8_t> bytes = good;
  bytes[flags] = 0;  // offsets present but not flagged: the length no longer adds up
  Reseal(bytes, at);
  EXPECT_NE(read_error(bytes).find("do not fill"), std::string::npos);
  bytes = good;
  bytes[flags] |= 0x80;
  Reseal(bytes, at);
  EXPECT_NE(read_error(bytes).find("unknown flags"), std::string::npos);
  bytes = good;
  std::vector<uint8_t> nan;
  PutF64(nan, std::numeric_limits<double>::quiet_NaN());
  std::copy(nan.begin(), nan.end(), bytes.begin() + static_cast<std::ptrdiff_t>(first_offset + 8));
  Reseal(bytes, at);
  EXPECT_NE(read_error(bytes).find("slot offset 1 is not a finite number"), std::string::npos);
  std::remove(path.c_str());
}

TEST_F(ReplayTest, HeaderOnlyFileIsAnEmptyReplay) {
  const std::string path = Path("header_only");
  ASSERT_TRUE(ReplayWriter::Create(path, 12).value()->close());
  auto r = ReplaySource::Open(path).value();
  SampleBlock b;
  EXPECT_TRUE(r->read(b).is_end());
  EXPECT_EQ(r->blocks_read(), 0u);
  std::remove(path.c_str());
}

TEST_F(ReplayTest, EmptyFileIsRejected) {
  const std::string path = Path("empty");
  Store(path, {});
  auto r = ReplaySource::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("empty"), std::string::npos) << r.error();
  std::remove(path.c_str());
}

TEST_F(ReplayTest, WrongMagicVersionOrHeaderCrcIsRejected) {
  const std::string path = Path("magic");
  WriteThree(path);
  const std::vector<uint8_t> good = Load(path);

  std::vector<uint8_t> bytes = good;
  bytes[0] = 'X';
  Store(path, bytes);
  auto r = ReplaySource::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("bad magic"), std::string::npos) << r.error();

  for (uint32_t version : {0u, 3u}) {
    bytes = Header(version, 12);
    bytes.insert(bytes.end(), good.begin() + replay::kHeaderSize, good.end());
    Store(path, bytes);
    r = ReplaySource::Open(path);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().find("version " + std::to_string(version)), std::string::npos) << r.error();
  }

  bytes = good;
  bytes[12] = 11;  // adc_bits changed without the CRC
  Store(path, bytes);
  r = ReplaySource::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("header CRC"), std::string::npos) << r.error();

  Store(path, std::vector<uint8_t>(good.begin(), good.begin() + 11));
  r = ReplaySource::Open(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("torn header"), std::string::npos) << r.error();

  EXPECT_FALSE(ReplaySource::Open(Path("does_not_exist")).ok());
  std::remove(path.c_str());
}

// Cut the file at every length: the blocks before the cut come back intact, the block the
// cut falls in is reported torn at its offset, and the reader stays stopped.
TEST_F(ReplayTest, TruncationAnywhereReportsTheTornBlock) {
  const std::string path = Path("truncated");
  const std::vector<uint64_t> offsets = WriteThree(path);
  const std::vector<uint8_t> good = Load(path);
  for (size_t cut = replay::kHeaderSize; cut < good.size(); ++cut) {
    Store(path, std::vector<uint8_t>(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)));
    auto r = ReplaySource::Open(path).value();
    SampleBlock b;
    size_t whole = 0;  // blocks that end at or before the cut
    while (whole < offsets.size() && BlockEnd(offsets, good.size(), whole) <= cut) ++whole;
    for (size_t i = 0; i < whole; ++i) {
      ASSERT_TRUE(r->read(b)) << "cut " << cut;
      ExpectSameBlock(b, blocks_[i]);
    }
    const Status s = r->read(b);
    ASSERT_FALSE(s);
    if (cut == offsets[whole]) {  // cut exactly between blocks: a clean, shorter replay
      EXPECT_TRUE(s.is_end()) << "cut " << cut;
      continue;
    }
    EXPECT_TRUE(s.is_corruption()) << s.to_string();
    EXPECT_NE(s.message().find("torn block at offset " + std::to_string(offsets[whole])), std::string::npos)
        << "cut " << cut << ": " << s.message();
    EXPECT_EQ(r->valid_bytes(), offsets[whole]);
    EXPECT_EQ(r->read(b).message(), s.message());  // stays stopped
  }
  std::remove(path.c_str());
}

// Flip each byte after the header in turn: blocks before it are intact, the damaged block is
// reported at its offset (as a CRC mismatch, or, for its length field, as torn or corrupt).
TEST_F(ReplayTest, FlippedByteAnywhereStopsAtThatBlock) {
  const std::string path = Path("flipped");
  const std::vector<uint64_t> offsets = WriteThree(path);
  const std::vector<uint8_t> good = Load(path);
  for (size_t pos = replay::kHeaderSize; pos < good.size(); ++pos) {
    std::vector<uint8_t> bytes = good;
    bytes[pos] ^= 0x20;
    Store(path, bytes);
    size_t damaged = 0;
    while (damaged + 1 < offsets.size() && offsets[damaged + 1] <= pos) ++damaged;
    auto r = ReplaySource::Open(path).value();
    SampleBlock b;
    for (size_t i = 0; i < damaged; ++i) {
      ASSERT_TRUE(r->read(b)) << "pos " << pos;
      ExpectSameBlock(b, blocks_[i]);
    }
    const Status s = r->read(b);
    ASSERT_FALSE(s) << "pos " << pos;
    EXPECT_TRUE(s.is_corruption()) << s.to_string();
    EXPECT_NE(s.message().find("offset " + std::to_string(offsets[damaged])), std::string::npos)
        << "pos " << pos << ": " << s.message();
    if (pos >= offsets[damaged] + replay::kLengthSize) {
      EXPECT_NE(s.message().find("CRC mismatch"), std::string::npos) << s.message();
    }
  }
  std::remove(path.c_str());
}

TEST_F(ReplayTest, ZeroFilledTailIsDamageNotBlocks) {
  const std::string path = Path("zeros");
  const std::vector<uint64_t> offsets = WriteThree(path);
  std::vector<uint8_t> bytes = Load(path);
  const size_t good_size = bytes.size();
  bytes.resize(good_size + 4096, 0);
  Store(path, bytes);
  auto r = ReplaySource::Open(path).value();
  SampleBlock b;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(r->read(b));
  const Status s = r->read(b);
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.is_corruption()) << s.to_string();
  EXPECT_NE(s.message().find("offset " + std::to_string(good_size)), std::string::npos) << s.message();
  EXPECT_EQ(r->valid_bytes(), good_size);
  std::remove(path.c_str());
}

TEST_F(ReplayTest, WriterRefusesBlocksTheReaderWouldReject) {
  const std::string path = Path("refuse");
  auto w = ReplayWriter::Create(path, 10).value();
  EXPECT_FALSE(w->append(MakeBlock(0, 4, {0, 1}, 12)));  // other adc_bits
  SampleBlock b = MakeBlock(0, 4, {0, 1}, 10);
  b.codes[3] = 1024;
  EXPECT_FALSE(w->append(b));
  b = MakeBlock(0, 4, {0, 1}, 10);
  b.codes.pop_back();
  EXPECT_FALSE(w->append(b));
  b = MakeBlock(0, 4, {}, 10);
  EXPECT_FALSE(w->append(b));
  b = MakeBlock(0, 4, {0}, 10);
  b.conversion_ns = 0;
  EXPECT_FALSE(w->append(b));
  b = MakeBlock(0, 4, {0, 1}, 10);
  b.slot_offset_ns = {0};  // one offset for two slots
  EXPECT_FALSE(w->append(b));
  b.slot_offset_ns = {0, std::numeric_limits<double>::infinity()};
  EXPECT_FALSE(w->append(b));
  EXPECT_EQ(w->bytes_written(), replay::kHeaderSize);
  EXPECT_TRUE(w->append(MakeBlock(0, 4, {0, 1}, 10)));
  ASSERT_TRUE(w->close());
  EXPECT_FALSE(w->append(MakeBlock(0, 4, {0, 1}, 10)));
  EXPECT_FALSE(ReplayWriter::Create(path, 17).ok());
  auto bad_dir = ReplayWriter::Create("/nonexistent-dir/x.replay", 12);
  ASSERT_FALSE(bad_dir.ok());
  EXPECT_NE(bad_dir.error().find("/nonexistent-dir/x.replay"), std::string::npos);
  std::remove(path.c_str());
}

// A finite source of canned blocks, to record.
class CannedSource final : public SampleSource {
 public:
  explicit CannedSource(std::vector<SampleBlock> blocks) : blocks_(std::move(blocks)) {}
  Status read(SampleBlock& block) override {
    if (next_ == blocks_.size()) return Status::End("canned: end");
    block = blocks_[next_++];
    return Status::Ok();
  }
  std::string describe() const override { return "canned"; }

 private:
  std::vector<SampleBlock> blocks_;
  size_t next_ = 0;
};

TEST_F(ReplayTest, RecordingSourcePassesBlocksThroughAndRecordsThem) {
  const std::string path = Path("recording");
  std::vector<SampleBlock> blocks = {MakeBlock(0, 50, {0, 1, 2}), MakeBlock(1, 60, {0, 1, 2}, 12, 3)};
  blocks[1].slot_offset_ns = TwoChipOffsets(3);  // a two-chip scan replays with its measured timing
  {
    RecordingSource rec(std::make_unique<CannedSource>(blocks), ReplayWriter::Create(path, 12).value());
    EXPECT_EQ(rec.describe(), "canned, recording to " + path);
    SampleBlock b;
    for (const auto& want : blocks) {
      ASSERT_TRUE(rec.read(b));
      ExpectSameBlock(b, want);
    }
    EXPECT_TRUE(rec.read(b).is_end());
    ASSERT_TRUE(rec.writer().close());
  }
  auto r = ReplaySource::Open(path).value();
  SampleBlock b;
  for (const auto& want : blocks) {
    ASSERT_TRUE(r->read(b));
    ExpectSameBlock(b, want);
  }
  EXPECT_TRUE(r->read(b).is_end());
  std::remove(path.c_str());
}

TEST_F(ReplayTest, RecordingSourceReportsWriteErrors) {
  const std::string path = Path("recording_bits");
  RecordingSource rec(std::make_unique<CannedSource>(std::vector<SampleBlock>{MakeBlock(0, 5, {0})}),
                      ReplayWriter::Create(path, 10).value());  // 12-bit blocks into a 10-bit file
  SampleBlock b;
  const Status s = rec.read(b);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find(path), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace iw::source
