#include "server/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace iw::server {
namespace {
namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

HttpRequest get(std::string path, Params params = {}) {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.params = std::move(params);
  return r;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("iotawatt-static-" + std::to_string(getpid()));
    fs::remove_all(root_);
    write(root_ / "web/index.html", "<h1>app</h1>");
    write(root_ / "web/app.js", "let x = 1;");
    write(root_ / "web/sub/index.htm", "sub");
    write(root_ / "data/log/iotamsgs.txt", "line one\nline two\nline three\n");
    write(root_ / "secret.txt", "do not serve");
    fs::create_symlink(root_ / "secret.txt", root_ / "web/link.txt");
    files_.mount("/", (root_ / "web").string());
    files_.mount("/iotawatt/", (root_ / "data/log").string());
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  StaticFiles files_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirTypeAndDirectoriesWithTheirIndex) {
  HttpResponse r = files_.serve(get("/app.js"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "let x = 1;");
  EXPECT_EQ(r.content_type, "application/javascript");
  r = files_.serve(get("/"));
  EXPECT_EQ(r.body, "<h1>app</h1>");
  EXPECT_EQ(r.content_type, "text/html");
  EXPECT_EQ(files_.serve(get("/sub")).body, "sub");
  EXPECT_EQ(files_.serve(get("/sub/")).body, "sub");
  EXPECT_EQ(files_.serve(get("/iotawatt/iotamsgs.txt")).body, "line one\nline two\nline three\n");
}

TEST_F(StaticFilesTest, SourceSuffixAndDownloadChangeTheContentType) {
  HttpResponse r = files_.serve(get("/app.js.src"));
  EXPECT_EQ(r.body, "let x = 1;");
  EXPECT_EQ(r.content_type, "text/plain");
  r = files_.serve(get("/app.js", {{"download", "true"}}));
  EXPECT_EQ(r.content_type, "application/octet-stream");
}

TEST_F(StaticFilesTest, TextPosStartsOnALineFromEitherEnd) {
  const std::string path = "/iotawatt/iotamsgs.txt";
  EXPECT_EQ(files_.serve(get(path, {{"textpos", "0"}})).body, "line one\nline two\nline three\n");
  EXPECT_EQ(files_.serve(get(path, {{"textpos", "3"}})).body, "line two\nline three\n");
  EXPECT_EQ(files_.serve(get(path, {{"textpos", "9"}})).body, "line two\nline three\n");
  EXPECT_EQ(files_.serve(get(path, {{"textpos", "-12"}})).body, "line three\n");
  EXPECT_EQ(files_.serve(get(path, {{"textpos", "-10000"}})).body, "line one\nline two\nline three\n");
  EXPECT_EQ(files_.serve(get(path, {{"textpos", "99999"}})).body, "");
  EXPECT_EQ(files_.serve(get(path, {{"textpos", "abc"}})).status, 400);
}

TEST_F(StaticFilesTest, NothingOutsideAMountIsReachable) {
  for (const char* path : {"/../secret.txt", "/iotawatt/../../secret.txt", "/sub/../../secret.txt", "/./app.js",
                           "/iotawatt/..", "/a\\..\\secret.txt"}) {
    const HttpResponse r = files_.serve(get(path));
    EXPECT_TRUE(r.status == 403 || r.status == 404) << path << " " << r.status;
    EXPECT_NE(r.body, "do not serve") << path;
  }
  // A symlink that leads out of the root is not followed.
  EXPECT_EQ(files_.serve(get("/link.txt")).status, 404);
  EXPECT_EQ(files_.serve(get("/missing.html")).status, 404);
  EXPECT_FALSE(files_.resolve("relative/path"));
}

TEST_F(StaticFilesTest, ListShowsDirectoriesFirstAndMountsAsDirectories) {
  const HttpResponse r = files_.list(get("/list", {{"dir", "/"}}));
  ASSERT_EQ(r.status, 200);
  const auto list = nlohmann::json::parse(r.body);
  ASSERT_EQ(list.size(), 5u) << r.body;  // iotawatt, sub; app.js, index.html, link.txt
  EXPECT_EQ(list[0], (nlohmann::json{{"type", "dir"}, {"name", "iotawatt"}}));
  EXPECT_EQ(list[1], (nlohmann::json{{"type", "dir"}, {"name", "sub"}}));
  EXPECT_EQ(list[2], (nlohmann::json{{"type", "file"}, {"name", "app.js"}}));
  const auto log = nlohmann::json::parse(files_.list(get("/list", {{"dir", "/iotawatt"}})).body);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["name"], "iotamsgs.txt");
  EXPECT_EQ(files_.list(get("/list")).body, "BAD ARGS");
  EXPECT_EQ(files_.list(get("/list", {{"dir", "/nope"}})).body, "BAD PATH");
  EXPECT_EQ(files_.list(get("/list", {{"dir", "/../"}})).body, "BAD PATH");
}

}  // namespace
}  // namespace iw::server
