// The fault-injecting Env's model itself (testing/fault_env.h): what a power cut keeps and
// loses, and faults by count, path and kind. The datalog's and the private files' power-cut
// tests rely on it.
#include "testing/fault_env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/files.h"

namespace iw::testing {
namespace {

class FaultEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/fault_env.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Read(const std::string& name) {
    auto text = read_file(dir_ + "/" + name, 1 << 20);
    return text.ok() ? text.value() : "<" + text.error() + ">";
  }
  bool Exists(const std::string& name) { return std::filesystem::exists(dir_ + "/" + name); }

  // Writes `text` at `offset` of `name`, created when missing.
  static void Write(FaultEnv* env, const std::string& path, int64_t offset, const std::string& text, bool sync) {
    auto file = env->open_file(path, Env::OpenMode::kCreate, 0644);
    ASSERT_TRUE(file.ok()) << file.error();
    size_t done = 0;
    ASSERT_TRUE(file.value()->write_at(offset, reinterpret_cast<const uint8_t*>(text.data()), text.size(), &done).ok());
    if (sync) {
      ASSERT_TRUE(file.value()->sync().ok());
    }
  }

  std::string dir_;
};

TEST_F(FaultEnvTest, SyncedBytesSurviveUnsyncedOnesMayBeLostOrTorn) {
  bool kept = false, lost = false, torn = false;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    FaultEnv env;
    const std::string path = dir_ + "/f";
    Write(&env, path, 0, "synced.", true);
    ASSERT_TRUE(env.sync_dir(dir_).ok());
    Write(&env, path, 7, "pending", false);
    (void)env.power_cut(seed);
    const std::string text = Read("f");
    ASSERT_EQ(text.substr(0, 7), "synced.") << "seed " << seed;
    const std::string rest = text.substr(7);
    ASSERT_EQ(rest, std::string("pending").substr(0, rest.size())) << "seed " << seed;
    kept |= rest == "pending";
    lost |= rest.empty();
    torn |= !rest.empty() && rest != "pending";
    std::filesystem::remove(path);
  }
  EXPECT_TRUE(kept && lost && torn) << kept << lost << torn;
}

TEST_F(FaultEnvTest, AnOverwriteThatIsLostLeavesTheOldBytes) {
  bool old_seen = false;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    FaultEnv env;
    const std::string path = dir_ + "/f";
    Write(&env, path, 0, "aaaa", true);
    ASSERT_TRUE(env.sync_dir(dir_).ok());
    Write(&env, path, 0, "bbbb", false);
    (void)env.power_cut(seed);
    const std::string text = Read("f");
    ASSERT_EQ(text.size(), 4u) << "seed " << seed;
    // A prefix of the new bytes over the old ones.
    const size_t b = text.find_first_not_of('b');
    ASSERT_TRUE(b == std::string::npos || text.substr(b) == std::string(4 - b, 'a')) << text;
    old_seen |= text == "aaaa";
  }
  EXPECT_TRUE(old_seen);
}

TEST_F(FaultEnvTest, EntriesWithoutADirectorySyncMayGoBack) {
  bool vanished = false, stayed = false, reverted = false, renamed = false;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    FaultEnv env;
    Write(&env, dir_ + "/old", 0, "old", true);
    Write(&env, dir_ + "/victim", 0, "victim", true);
    ASSERT_TRUE(env.sync_dir(dir_).ok());
    Write(&env, dir_ + "/new", 0, "new", true);                     // created, not dir-synced
    ASSERT_TRUE(env.rename(dir_ + "/old", dir_ + "/victim").ok());  // replaces victim
    (void)env.power_cut(seed);
    vanished |= !Exists("new");
    stayed |= Exists("new");
    if (Exists("old")) {
      // The rename went back: the file it replaced is there again, as it was.
      EXPECT_EQ(Read("old"), "old");
      EXPECT_EQ(Read("victim"), "victim");
      reverted = true;
    } else {
      EXPECT_EQ(Read("victim"), "old");
      renamed = true;
    }
    // Journals keep metadata changes in order: a kept rename implies the creation before it.
    if (!Exists("old")) {
      EXPECT_TRUE(Exists("new"));
    }
    for (const char* name : {"old", "victim", "new"}) std::filesystem::remove(dir_ + "/" + name);
  }
  EXPECT_TRUE(vanished && stayed && reverted && renamed);
}

TEST_F(FaultEnvTest, ADirectorySyncMakesEntriesStay) {
  for (uint64_t seed = 0; seed < 16; ++seed) {
    FaultEnv env;
    Write(&env, dir_ + "/a", 0, "a", true);
    ASSERT_TRUE(env.rename(dir_ + "/a", dir_ + "/b").ok());
    ASSERT_TRUE(env.sync_dir(dir_).ok());
    (void)env.power_cut(seed);
    EXPECT_FALSE(Exists("a"));
    EXPECT_EQ(Read("b"), "a");
    std::filesystem::remove(dir_ + "/b");
  }
}

TEST_F(FaultEnvTest, FaultsByCountPathAndKind) {
  FaultEnv env;
  Fault full;
  full.ops = op_bit(FsOp::kWrite);
  full.path_part = "data";
  full.skip = 1;
  full.count = 2;
  full.err = ENOSPC;
  env.add_fault(full);
  auto file = env.open_file(dir_ + "/data", Env::OpenMode::kCreate, 0644);
  ASSERT_TRUE(file.ok());
  auto other = env.open_file(dir_ + "/other", Env::OpenMode::kCreate, 0644);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(file.value()->append("1").ok());  // skipped
  Status st = file.value()->append("2");        // fails
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot write " + dir_ + "/data: No space left on device"), std::string::npos)
      << st.message();
  EXPECT_TRUE(other.value()->append("x").ok());  // another path
  EXPECT_TRUE(file.value()->sync().ok());        // another kind
  EXPECT_FALSE(file.value()->append("3").ok());  // fails
  EXPECT_TRUE(file.value()->append("4").ok());   // count used up
  EXPECT_EQ(env.faults_injected(), 2);
  EXPECT_EQ(Read("data"), "14");
}

TEST_F(FaultEnvTest, PowerOffFailsEveryLaterMutatingCallAndDeadFilesStayDead) {
  FaultEnv env;
  auto file = env.open_file(dir_ + "/f", Env::OpenMode::kCreate, 0644);  // call 0
  ASSERT_TRUE(file.ok());
  env.power_off_at(2);
  EXPECT_FALSE(env.powered_off());
  EXPECT_TRUE(file.value()->append("a").ok());  // call 1
  EXPECT_TRUE(env.powered_off());               // the next call fails
  EXPECT_FALSE(file.value()->sync().ok());      // call 2: no power
  EXPECT_EQ(env.mutations(), 2);
  EXPECT_FALSE(env.sync_dir(dir_).ok());
  ASSERT_EQ(env.trace().size(), 2u);
  EXPECT_EQ(env.trace()[1].op, FsOp::kWrite);
  (void)env.power_cut(3);
  EXPECT_FALSE(file.value()->append("b").ok()) << "a file of the process that died still writes";
  EXPECT_EQ(env.mutations(), 0);
}

}  // namespace
}  // namespace iw::testing
