// Test helpers for MQTT: a real Debian `mosquitto` broker started on 127.0.0.1 with a temp
// config and a free port (never the system service), a recording subscriber on libmosquitto,
// and a throwaway certificate authority made with the openssl command.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/daemon_process.h"

namespace iw::testing {

// A fresh, empty directory under the temp directory, unique to this test process.
inline std::string mqtt_temp_dir(const std::string& name) {
  const std::string path = temp_path("mqtt-" + name);
  std::filesystem::create_directories(path);
  return path;
}

inline bool port_accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// Runs `command` with /bin/sh; true when it exits 0.
inline bool run_command(const std::string& command) { return std::system(command.c_str()) == 0; }

// A CA and a server certificate for 127.0.0.1 signed by it, plus an unrelated CA.
struct TestPki {
  std::string ca_cert, server_cert, server_key, other_ca_cert;
};

inline TestPki make_test_pki(const std::string& dir) {
  TestPki p{dir + "/ca.pem", dir + "/server.pem", dir + "/server.key", dir + "/other-ca.pem"};
  const std::string q = " >/dev/null 2>&1";
  const std::string ext = dir + "/san.ext";
  std::ofstream(ext) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  const bool ok = run_command("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=iotawatt-test-ca -keyout " +
                              dir + "/ca.key -out " + p.ca_cert + q) &&
                  run_command("openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout " + p.server_key +
                              " -out " + dir + "/server.csr" + q) &&
                  run_command("openssl x509 -req -days 2 -in " + dir + "/server.csr -CA " + p.ca_cert + " -CAkey " +
                              dir + "/ca.key -CAcreateserial -extfile " + ext + " -out " + p.server_cert + q) &&
                  run_command("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=someone-else -keyout " +
                              dir + "/other.key -out " + p.other_ca_cert + q);
  if (!ok) return {};
  std::filesystem::permissions(p.server_key, std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
                                                 std::filesystem::perms::others_read);
  return p;
}

struct BrokerOptions {
  std::string username;  // non-empty: anonymous clients are refused
  std::string password;
  std::string cert_file, key_file;  // non-empty: the listener speaks TLS only
};

class MosquittoBroker {
 public:
  explicit MosquittoBroker(BrokerOptions options = {}, std::string name = "broker")
      : options_(std::move(options)), dir_(mqtt_temp_dir(name)), port_(free_port()) {
    write_config();
  }
  ~MosquittoBroker() { stop(); }

  // Starts the broker and waits (up to 5 s) until it accepts connections.
  bool start() {
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = open((dir_ + "/mosquitto.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      execl("/usr/sbin/mosquitto", "mosquitto", "-c", (dir_ + "/mosquitto.conf").c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 250; ++i) {
      if (port_accepts(port_)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  // SIGKILL: the broker loses every session and (persistence off) every retained message.
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int port() const { return port_; }
  std::string log() const {
    std::ifstream in(dir_ + "/mosquitto.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  void write_config() {
    std::ofstream conf(dir_ + "/mosquitto.conf");
    conf << "listener " << port_ << " 127.0.0.1\n"
         << "persistence false\n"
         << "user root\n"  // tests run as root; do not drop to the mosquitto user
         << "log_dest stdout\nlog_type error\nlog_type warning\nlog_type notice\n";
    if (options_.username.empty()) {
      conf << "allow_anonymous true\n";
    } else {
      const std::string file = dir_ + "/passwd";
      run_command("mosquitto_passwd -c -b " + file + " " + options_.username + " " + options_.password +
                  " >/dev/null 2>&1");
      conf << "allow_anonymous false\npassword_file " << file << "\n";
    }
    if (!options_.cert_file.empty()) {
      conf << "certfile " << options_.cert_file << "\nkeyfile " << options_.key_file << "\n";
    }
  }

  BrokerOptions options_;
  std::string dir_;
  int port_;
  pid_t pid_ = -1;
};

// A subscriber that records every message it receives (retained flag included).
class MqttRecorder {
 public:
  struct Message {
    std::string topic, payload;
    bool retained = false;
  };

  MqttRecorder(int port, std::vector<std::string> topics, std::string username = "", std::string password = "")
      : topics_(std::move(topics)) {
    mosquitto_lib_init();
    mosq_ = mosquitto_new(nullptr, true, this);
    if (!username.empty()) mosquitto_username_pw_set(mosq_, username.c_str(), password.c_str());
    mosquitto_connect_callback_set(mosq_, [](mosquitto* m, void* self, int rc) {
      if (rc != 0) return;
      for (const std::string& t : static_cast<MqttRecorder*>(self)->topics_)
        mosquitto_subscribe(m, nullptr, t.c_str(), 1);
    });
    mosquitto_message_callback_set(mosq_, [](mosquitto*, void* self, const mosquitto_message* m) {
      auto* r = static_cast<MqttRecorder*>(self);
      Message msg{m->topic, std::string(), m->retain};
      if (m->payload != nullptr)
        msg.payload.assign(static_cast<const char*>(m->payload), static_cast<size_t>(m->payloadlen));
      std::lock_guard lock(r->mu_);
      r->messages_.push_back(std::move(msg));
      r->cv_.notify_all();
    });
    mosquitto_connect(mosq_, "127.0.0.1", port, 30);
    mosquitto_loop_start(mosq_);
  }
  ~MqttRecorder() {
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, true);
    mosquitto_destroy(mosq_);
  }

  std::vector<Message> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  void clear() {
    std::lock_guard lock(mu_);
    messages_.clear();
  }
  // Waits up to `timeout` until `done` holds for all messages so far; returns whether it did.
  bool wait_until(const std::function<bool(const std::vector<Message>&)>& done, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return done(messages_); });
  }
  // Waits up to `timeout` for a message that satisfies `pred`; returns it (empty topic: none).
  Message wait_for(const std::function<bool(const Message&)>& pred, std::chrono::milliseconds timeout) {
    Message found;
    wait_until(
        [&](const std::vector<Message>& all) {
          for (const Message& m : all) {
            if (pred(m)) {
              found = m;
              return true;
            }
          }
          return false;
        },
        timeout);
    return found;
  }
  Message wait_for_topic(const std::string& topic, std::chrono::milliseconds timeout) {
    return wait_for([&](const Message& m) { return m.topic == topic; }, timeout);
  }

 private:
  std::vector<std::string> topics_;
  mosquitto* mosq_ = nullptr;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Message> messages_;
};

}  // namespace iw::testing
