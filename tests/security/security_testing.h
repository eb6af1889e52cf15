// Tools for the security tests: a daemon on the simulator, raw loopback sockets for requests
// that curl cannot express, and the two things every attack must leave alone: sampling (the
// cycle counters of /status?stats) and memory (RSS from /proc).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "app/daemon_process.h"

namespace iw::testing {

// A peer that closes on an attack must fail the test's write, not kill the test with SIGPIPE.
inline const bool kSigpipeIgnored = [] {
  signal(SIGPIPE, SIG_IGN);
  return true;
}();

// A connected loopback TCP socket, closed on destruction. `from` binds the client side to
// another loopback address (127.0.0.2 ...), as a second machine on the LAN would be.
class RawConnection {
 public:
  explicit RawConnection(int port, const std::string& from = "") {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (!from.empty()) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      inet_pton(AF_INET, from.c_str(), &local.sin_addr);
      bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawConnection() {
    if (fd_ >= 0) close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // False when the peer closed or reset the connection.
  bool send(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  // Everything the peer sends until it closes or `timeout` passes with nothing new.
  std::string receive(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    std::string out;
    char buffer[16384];
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) break;
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      out.append(buffer, static_cast<size_t>(n));
    }
    return out;
  }
  // True when the peer has closed the connection (a read returns 0 or an error) within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout) {
    char buffer[4096];
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      if (::recv(fd_, buffer, sizeof buffer, 0) <= 0) return true;
    }
    return false;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// Base64 of `bytes`, as POST /auth takes its body.
inline std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// The status code of a raw HTTP answer ("HTTP/1.1 400 Bad Request" -> 400), or 0.
inline int status_of(const std::string& answer) {
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
  return std::atoi(answer.c_str() + 9);
}

// Resident memory of a process in KiB (VmRSS), or -1.
inline long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// A daemon on the simulator with its own data directory and port.
class SecurityDaemon {
 public:
  explicit SecurityDaemon(const std::string& name, std::vector<std::string> extra_args = {}) : name_(name) {
    port_ = free_port();
    data_ = temp_path(name + "-data");
    std::filesystem::create_directories(data_);
    extra_ = std::move(extra_args);
  }
  // Starts it; false (with the log in `why`) when it does not serve within 10 s.
  bool start(std::string* why = nullptr) {
    std::vector<std::string> args{"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", data_};
    args.insert(args.end(), extra_.begin(), extra_.end());
    process_ = std::make_unique<DaemonProcess>(args, temp_path(name_ + ".log"));
    httplib::Client c("127.0.0.1", port_);
    for (int i = 0; i < 200; ++i) {
      if (auto res = c.Get("/nullreq"); res && res->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (why) *why = process_->log();
    return false;
  }
  int port() const { return port_; }
  const std::string& data() const { return data_; }
  DaemonProcess& process() { return *process_; }
  // Clients from now on log in with Digest as `user` (after the test set a password).
  void log_in_as(std::string user, std::string password) {
    user_ = std::move(user);
    password_ = std::move(password);
  }
  std::unique_ptr<httplib::Client> client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_read_timeout(10, 0);
    // As the README tells API clients: writes whose body is not JSON carry this header.
    c->set_default_headers({{"X-Requested-With", "iotawatt-test"}});
    if (!user_.empty()) c->set_digest_auth(user_, password_);
    return c;
  }
  // Whether the process is still alive (not exited or crashed).
  bool alive() const { return process_ && kill(process_->pid(), 0) == 0 && !zombie(); }
  // /status?stats voltage cycles measured since the sampler started; -1 when /status does not answer.
  long long cycles() const {
    auto res = client()->Get("/status?stats");
    if (!res || res->status != 200) return -1;
    const auto j = nlohmann::json::parse(res->body, nullptr, false);
    if (j.is_discarded() || !j.contains("stats")) return -1;
    const auto& s = j["stats"]["sampling"];
    return s.contains("cycles") ? s["cycles"].get<long long>() : -1;
  }
  long rss() const { return rss_kib(process_->pid()); }

 private:
  bool zombie() const {
    std::ifstream in("/proc/" + std::to_string(process_->pid()) + "/stat");
    std::string pid, comm, state;
    in >> pid >> comm >> state;
    return state == "Z";
  }
  std::string name_;
  int port_ = 0;
  std::string data_;
  std::vector<std::string> extra_;
  std::string user_, password_;
  std::unique_ptr<DaemonProcess> process_;
};

}  // namespace iw::testing
