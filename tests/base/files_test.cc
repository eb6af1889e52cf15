#include "base/files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace iw {
namespace {

namespace fs = std::filesystem;

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("iotawatt-files-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void put(const std::string& name, const std::string& text, mode_t mode) const {
    std::ofstream(path(name)) << text;
    ::chmod(path(name).c_str(), mode);
  }
  static mode_t mode_of(const std::string& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 07777;
  }

  fs::path dir_;
};

TEST_F(FilesTest, ReadsUpToTheLimitAndRefusesMore) {
  put("a", "12345", 0600);
  auto whole = read_file(path("a"), 5);
  ASSERT_TRUE(whole.ok()) << whole.error();
  EXPECT_EQ(whole.value(), "12345");
  auto over = read_file(path("a"), 4);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), path("a") + ": larger than 4 bytes");
}

TEST_F(FilesTest, AMissingFileIsAnErrorNamingIt) {
  auto r = read_file(path("none"), 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), path("none") + ": cannot open: No such file or directory");
}

TEST_F(FilesTest, WritesPrivatelyOverAnOpenFile) {
  put("secret", "old", 0644);
  put("secret.tmp", "stale", 0666);  // left by a crash: must not keep its mode
  ASSERT_TRUE(write_private_file(path("secret"), "new").ok());
  EXPECT_EQ(read_file(path("secret"), 100).value(), "new");
  EXPECT_EQ(mode_of(path("secret")), 0600u);
  EXPECT_FALSE(fs::exists(path("secret.tmp")));
}

TEST_F(FilesTest, AFailedWriteLeavesTheOldFile) {
  put("kept", "old", 0600);
  fs::create_directories(path("kept.tmp"));  // the temp file cannot be created
  EXPECT_FALSE(write_private_file(path("kept"), "new").ok());
  EXPECT_EQ(read_file(path("kept"), 100).value(), "old");
}

TEST_F(FilesTest, SetAsideRenamesAndNeverOverwrites) {
  put("graph.txt", "first", 0600);
  auto first = set_aside(path("graph.txt"));
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first.value().rfind(path("graph.txt.bad-"), 0), 0u) << first.value();
  EXPECT_FALSE(fs::exists(path("graph.txt")));
  put("graph.txt", "second", 0600);
  auto second = set_aside(path("graph.txt"));
  ASSERT_TRUE(second.ok());
  if (second.value() != first.value()) {  // the same second: a suffix keeps both
    EXPECT_EQ(read_file(first.value(), 100).value(), "first");
  }
  EXPECT_EQ(read_file(second.value(), 100).value(), "second");
  EXPECT_FALSE(set_aside(path("graph.txt")).ok());
}

TEST_F(FilesTest, RestrictModeTakesAwayOnlyWhatIsNotAllowed) {
  put("open", "x", 0644);
  auto changed = restrict_mode(path("open"), kPrivateFileMode);
  ASSERT_TRUE(changed.ok());
  ASSERT_TRUE(changed.value().has_value());
  EXPECT_EQ(mode_text(*changed.value()), "0644");
  EXPECT_EQ(mode_of(path("open")), 0600u);

  put("tight", "x", 0400);
  auto same = restrict_mode(path("tight"), kPrivateFileMode);
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same.value().has_value());
  EXPECT_EQ(mode_of(path("tight")), 0400u);

  EXPECT_FALSE(restrict_mode(path("absent"), kPrivateFileMode).value().has_value());
  ::chmod(dir_.c_str(), 0755);
  EXPECT_EQ(*restrict_mode(dir_.string(), kPrivateDirMode).value(), 0755u);
  EXPECT_EQ(mode_of(dir_.string()), 0700u);
}

}  // namespace
}  // namespace iw
