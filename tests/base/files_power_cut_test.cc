// write_private_file under power cuts at each of its calls, on the fault-injecting Env
// (testing/fault_env.h): the file holds the old text or the new one, never a torn or empty
// one, and is never readable by others.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/files.h"
#include "testing/fault_env.h"

namespace iw {
namespace {

using testing::FaultEnv;

std::string MakeTempDir() {
  std::string tmpl = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/files_cut.XXXXXX";
  return ::mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
}

TEST(PrivateFilePowerCut, OldTextOrNewNeverTornEmptyOrOpen) {
  const std::string old_text = "{\"key\":\"old secret\"}\n";
  const std::string new_text = "{\"key\":\"the new secret, longer than the old one\"}\n";
  // A dry run: how many calls one replacement makes.
  int64_t calls = 0;
  {
    const std::string dir = MakeTempDir();
    FaultEnv env;
    ASSERT_TRUE(write_private_file(dir + "/auth.json", old_text, &env).ok());
    (void)env.power_cut(0);
    ASSERT_TRUE(write_private_file(dir + "/auth.json", new_text, &env).ok());
    calls = env.mutations();
    std::filesystem::remove_all(dir);
  }
  ASSERT_GE(calls, 5);  // create, chmod, write, sync, rename, directory sync
  int64_t runs = 0, old_seen = 0, new_seen = 0;
  for (int64_t cut = 0; cut <= calls; ++cut) {
    for (uint64_t seed = 1; seed <= 8; ++seed) {
      SCOPED_TRACE("cut at call " + std::to_string(cut) + ", seed " + std::to_string(seed));
      const std::string dir = MakeTempDir();
      const std::string path = dir + "/auth.json";
      FaultEnv env;
      ASSERT_TRUE(write_private_file(path, old_text, &env).ok());
      ASSERT_EQ(env.power_cut(seed).find("unsynced"), std::string::npos) << "the old file was not durable";
      // A stale, more open temp file from an earlier crash must not leak the new text either.
      {
        auto stale = Env::Default()->open_file(path + ".tmp", Env::OpenMode::kTruncate, 0644);
        ASSERT_TRUE(stale.ok());
        ASSERT_TRUE(stale.value()->set_mode(0644).ok());
      }
      env.power_off_at(cut);
      const Status st = write_private_file(path, new_text, &env);
      // Create, chmod, write, sync and rename must go through; a failed directory sync is not
      // reported (files.h: either entry survives).
      EXPECT_EQ(st.ok(), cut >= 5) << (st.ok() ? "" : st.message());
      const std::string what = env.power_cut(seed);
      auto text = read_file(path, 1 << 16);
      ASSERT_TRUE(text.ok()) << text.error() << "\n" << what;
      EXPECT_TRUE(text.value() == old_text || text.value() == new_text) << "[" << text.value() << "]\n" << what;
      if (cut >= calls) {
        EXPECT_EQ(text.value(), new_text) << "every call made, the new text must stay";
      }
      old_seen += text.value() == old_text;
      new_seen += text.value() == new_text;
      struct stat info {};
      ASSERT_EQ(::stat(path.c_str(), &info), 0);
      EXPECT_EQ(info.st_mode & 077, 0u) << "readable by others: " << std::oct << (info.st_mode & 0777);
      // What the temp file holds if it survived is no one else's either.
      if (::stat((path + ".tmp").c_str(), &info) == 0 && info.st_size > 0) {
        auto tmp_text = read_file(path + ".tmp", 1 << 16);
        if (tmp_text.ok() && tmp_text.value() == new_text) {
          EXPECT_EQ(info.st_mode & 077, 0u);
        }
      }
      std::filesystem::remove_all(dir);
      ++runs;
    }
  }
  EXPECT_GT(old_seen, 0);
  EXPECT_GT(new_seen, 0);
  std::cout << "private file power cuts: " << runs << " runs over " << calls << " calls\n";
}

}  // namespace
}  // namespace iw
