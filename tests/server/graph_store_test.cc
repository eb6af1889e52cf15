#include "server/graph_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

namespace iw::server {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

HttpRequest post(std::string body, Params params = {}) {
  HttpRequest r;
  r.method = "POST";
  r.body = std::move(body);
  r.params = std::move(params);
  return r;
}

class GraphStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::remove_all(dir_); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_ = fs::temp_directory_path() / ("iotawatt-graphs-" + std::to_string(getpid()));
  std::vector<std::string> reports_;
  GraphStore store_{dir_.string(), [this](const std::string& m) { reports_.push_back(m); }};
};

// {"name":"Deep","start":..,"x":{"a":{"a":...}}}: `levels` objects in all.
std::string deep_graph(int levels) {
  std::string text = R"({"name":"Deep","start":"d","x":)";
  for (int i = 1; i < levels; ++i) text += "{\"a\":";
  return text + "1" + std::string(static_cast<size_t>(levels), '}');
}

TEST(GraphFileName, EightUrlSafeCharactersOfTheNameHash) {
  const std::string id = graph_file_name("Solar");
  ASSERT_EQ(id.size(), 12u);
  EXPECT_EQ(id.substr(8), ".txt");
  EXPECT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 8u);
  EXPECT_EQ(graph_file_name("Solar"), id);
  EXPECT_NE(graph_file_name("Solar2"), id);
}

TEST_F(GraphStoreTest, SavesListsReplacesAndDeletes) {
  const std::string plus = R"({"name":"Solar day","period":"today","traces":[]})";
  HttpResponse r = store_.create(post("", {{"data", plus}}));
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string id = graph_file_name("Solar day");
  EXPECT_EQ(json::parse(r.body)["message"], "graph saved id:" + id);
  std::ifstream in(dir_ / id);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), plus);

  // The original's page posts data=<JSON> unencoded; '+' must survive.
  ASSERT_EQ(store_.create(post(R"(data={"name":"Old","start":1,"note":"a+b"})")).status, 200);
  const json all = json::parse(store_.get_all().body);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["note"], "a+b");
  EXPECT_EQ(all[0]["id"], graph_file_name("Old"));

  ASSERT_EQ(store_.create(post("", {{"data", R"({"name":"Solar day","period":"yesterday"})"}})).status, 200);
  json plus_list = json::parse(store_.get_all_plus().body);
  ASSERT_EQ(plus_list.size(), 1u);
  EXPECT_EQ(plus_list[0], (json{{"name", "Solar day"}, {"id", id}}));

  ASSERT_EQ(store_.remove(post("", {{"id", id}})).status, 200);
  EXPECT_EQ(json::parse(store_.get_all_plus().body), json::array());
  EXPECT_FALSE(fs::exists(dir_ / id));
}

TEST_F(GraphStoreTest, RefusesWhatIsNotAGraphOrAPlainId) {
  EXPECT_EQ(store_.create(post("", {{"data", "[1,2]"}})).status, 400);
  EXPECT_EQ(store_.create(post("", {{"data", R"({"period":"today"})"}})).status, 400);
  EXPECT_EQ(store_.create(post("nothing")).status, 400);
  EXPECT_EQ(store_.remove(post("", {{"id", "../config.txt"}})).status, 400);
  EXPECT_EQ(store_.remove(post("", {{"id", "abc"}})).status, 400);
  EXPECT_EQ(json::parse(store_.get_all().body), json::array());  // no directory yet
}

TEST_F(GraphStoreTest, RefusesAGraphNestedDeeperThan64Levels) {
  ASSERT_EQ(store_.create(post("", {{"data", deep_graph(64)}})).status, 200);
  const HttpResponse r = store_.create(post("", {{"data", deep_graph(65)}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "graph: data: nesting deeper than 64 levels at byte 347");
  // The same in the raw form the original's pages send.
  EXPECT_EQ(store_.create(post("data=" + deep_graph(100000))).status, 400);
  EXPECT_EQ(json::parse(store_.get_all().body).size(), 1u);
}

TEST_F(GraphStoreTest, SetsAsideASavedFileItCannotRead) {
  ASSERT_EQ(store_.create(post("", {{"data", R"({"name":"Good","start":"d"})"}})).status, 200);
  // Written by an older version, or by hand: too deep, not JSON, not an object.
  std::ofstream(dir_ / "deep0001.txt") << deep_graph(100000);
  std::ofstream(dir_ / "broken01.txt") << R"({"name":"Bro)";
  std::ofstream(dir_ / "array001.txt") << "[1]";
  const json all = json::parse(store_.get_all().body);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["name"], "Good");
  ASSERT_EQ(reports_.size(), 3u);
  std::sort(reports_.begin(), reports_.end());
  EXPECT_NE(
      reports_[2].find("deep0001.txt is not a saved graph (nesting deeper than 64 levels at byte 347); set aside as "),
      std::string::npos)
      << reports_[2];
  EXPECT_NE(reports_[0].find("array001.txt is not a saved graph (not a JSON object)"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "deep0001.txt"));
  size_t bad = 0;
  for (const auto& e : fs::directory_iterator(dir_))
    bad += e.path().filename().string().find(".txt.bad-") != std::string::npos;
  EXPECT_EQ(bad, 3u);
  // Once aside, they are not read (nor reported) again.
  EXPECT_EQ(json::parse(store_.get_all_plus().body).size(), 0u);
  EXPECT_EQ(reports_.size(), 3u);
}

}  // namespace
}  // namespace iw::server
