// Where the program finds its web app and its default files: an install (share/iotawatt/web
// beside bin/) or a build tree (the source's web/).
#include "app/install_paths.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace iw::app {
namespace {

namespace fs = std::filesystem;

class InstallPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("install_paths_test_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "bin");
  }
  void TearDown() override { fs::remove_all(root_); }
  void touch(const fs::path& path) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "x";
  }
  fs::path root_;
};

TEST_F(InstallPathsTest, InstalledProgramServesTheWebAppBesideIt) {
  touch(root_ / "share/iotawatt/web/index.html");
  const InstallPaths p = install_paths_for((root_ / "bin/iotawatt").string(), "/src/web");
  EXPECT_TRUE(p.installed);
  EXPECT_EQ(p.web_dir, (root_ / "share/iotawatt/web").string());
  EXPECT_EQ(p.data_dir, "/var/lib/iotawatt");
  EXPECT_EQ(p.system_config, (root_ / "etc/iotawatt/config.json").string()) << "a prefix other than /usr keeps etc/";
}

TEST_F(InstallPathsTest, BuildTreeServesTheSourceWebApp) {
  // No share/iotawatt/web/index.html beside it: the program of a build tree.
  touch(root_ / "share/iotawatt/web/app.js");
  const InstallPaths p = install_paths_for((root_ / "bin/iotawatt").string(), "/src/web");
  EXPECT_FALSE(p.installed);
  EXPECT_EQ(p.web_dir, "/src/web");
  EXPECT_EQ(p.data_dir, "/var/lib/iotawatt");
  EXPECT_EQ(p.system_config, "") << "a build tree must never pick up an installed package's /etc config";
}

TEST(SystemConfig, PrefixUsrHasItsConfigInEtc) {
  EXPECT_EQ(system_config_for("/usr"), "/etc/iotawatt/config.json");
  EXPECT_EQ(system_config_for("/usr/local"), "/usr/local/etc/iotawatt/config.json");
  EXPECT_EQ(system_config_for("/opt/iotawatt"), "/opt/iotawatt/etc/iotawatt/config.json");
}

TEST_F(InstallPathsTest, ThisTestProgramIsNotAnInstall) {
  const InstallPaths p = install_paths();
  EXPECT_FALSE(p.installed);
  EXPECT_EQ(p.web_dir, IOTAWATT_WEB_DIR);
}

TEST_F(InstallPathsTest, DataConfigWinsOnceItExists) {
  const std::string data = (root_ / "data/config.txt").string();
  const std::string system = (root_ / "etc/iotawatt/config.json").string();
  EXPECT_EQ(startup_config_path(data, system), data) << "neither exists: the data dir's (simulator)";
  touch(system);
  EXPECT_EQ(startup_config_path(data, system), system) << "before the web app saved a config";
  EXPECT_EQ(startup_config_path(data, ""), data) << "no system config (a build tree)";
  touch(data);
  EXPECT_EQ(startup_config_path(data, system), data) << "the web app's saved config must survive a restart";
}

}  // namespace
}  // namespace iw::app
