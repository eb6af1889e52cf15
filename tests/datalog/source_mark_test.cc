#include "datalog/source_mark.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace iw::datalog {
namespace {

class SourceMarkTest : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::remove_all(dir_); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_ = (std::filesystem::temp_directory_path() / ("iw-source-mark-" + std::to_string(getpid()))).string();
};

TEST_F(SourceMarkTest, NoFileIsAnUnknownSource) {
  auto mark = read_source_mark(dir_);
  ASSERT_TRUE(mark.ok()) << mark.error();
  EXPECT_FALSE(mark.value().has_value());
}

TEST_F(SourceMarkTest, EachSourceIsOneWordOnOneLine) {
  for (DataSource s : {DataSource::kAdc, DataSource::kSimulator, DataSource::kReplay}) {
    ASSERT_TRUE(write_source_mark(dir_, s).ok());
    std::ifstream in(source_mark_path(dir_));
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, to_string(s));
    auto mark = read_source_mark(dir_);
    ASSERT_TRUE(mark.ok() && mark.value());
    EXPECT_EQ(*mark.value(), s);
  }
  EXPECT_EQ(describe(DataSource::kAdc), "an ADC board");
}

TEST_F(SourceMarkTest, AnythingElseIsAnErrorNamingTheFile) {
  std::filesystem::create_directories(dir_);
  std::ofstream(source_mark_path(dir_)) << "hardware\n";
  auto mark = read_source_mark(dir_);
  ASSERT_FALSE(mark.ok());
  EXPECT_EQ(mark.error(), source_mark_path(dir_) + ": \"hardware\" is not adc, simulator or replay");
  std::ofstream(source_mark_path(dir_)) << std::string(100, 'x');
  EXPECT_FALSE(read_source_mark(dir_).ok());
}

}  // namespace
}  // namespace iw::datalog
