// An update server for tests: cpp-httplib's SSLServer on 127.0.0.1 with a throwaway CA made
// by the openssl tool, serving a directory (FORMAT.md's layout) with the faults a real one
// shows: a connection cut after some bytes, Range requests ignored.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "app/daemon_process.h"
#include "server/background_listen.h"

namespace iw::testing {

class UpdateServer {
 public:
  // Makes the CA and the server's certificate in `dir` and serves `dir`/root.
  explicit UpdateServer(const std::string& dir) : dir_(dir), root_(dir + "/root") {
    std::filesystem::create_directories(root_);
    const std::string d = dir_;
    ok_ = sh("cd " + d +
             " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=ca") &&
          sh("cd " + d +
             " && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1") &&
          sh("cd " + d +
             " && printf 'subjectAltName=IP:127.0.0.1' > san.ext && openssl x509 -req -in server.csr -CA ca.pem "
             "-CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext");
    if (!ok_) return;
    server_ = std::make_unique<httplib::SSLServer>((d + "/server.pem").c_str(), (d + "/server.key").c_str());
    server_->Get(R"(/(.+))", [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = listen_in_background(*server_);
  }
  ~UpdateServer() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  bool ok() const { return ok_ && server_ && server_->is_valid(); }
  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string cafile() const { return dir_ + "/ca.pem"; }
  std::string root() const { return root_; }
  void put(const std::string& path, const std::string& bytes) {
    std::filesystem::create_directories(std::filesystem::path(root_ + "/" + path).parent_path());
    std::ofstream(root_ + "/" + path, std::ios::binary) << bytes;
  }

  // The next request's connection closes when its body reaches this offset of the file.
  void cut_next_at(size_t offset) { cut_after_ = static_cast<long>(offset); }
  void ignore_range(bool on) { ignore_range_ = on; }
  int requests() const { return requests_; }
  std::string last_range() {
    std::lock_guard lock(mu_);
    return last_range_;
  }

 private:
  static bool sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

  void serve(const httplib::Request& req, httplib::Response& res) {
    ++requests_;
    {
      std::lock_guard lock(mu_);
      last_range_ = req.get_header_value("Range");
    }
    std::ifstream in(root_ + "/" + req.matches[1].str(), std::ios::binary);
    if (!in) {
      res.status = 404;
      return;
    }
    auto body = std::make_shared<std::string>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A server without Range support: the test double drops the parsed ranges, so the whole
    // file goes out with 200.
    if (ignore_range_) const_cast<httplib::Request&>(req).ranges.clear();
    const long cut = cut_after_.exchange(-1);
    res.set_content_provider(body->size(), "application/octet-stream",
                             [body, cut](size_t offset, size_t length, httplib::DataSink& sink) {
                               size_t end = offset + length;
                               if (cut >= 0) end = std::min(end, static_cast<size_t>(cut));
                               if (end > offset) sink.write(body->data() + offset, end - offset);
                               return cut < 0 || end < static_cast<size_t>(cut);
                             });
  }

  std::string dir_, root_;
  bool ok_ = false;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<long> cut_after_{-1};
  std::atomic<bool> ignore_range_{false};
  std::atomic<int> requests_{0};
  std::mutex mu_;
  std::string last_range_;
};

}  // namespace iw::testing
