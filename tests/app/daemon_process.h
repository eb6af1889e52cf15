// Runs the iotawatt binary as a child process for end-to-end tests.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace iw::testing {

// The words that start the iotawatt binary: IOTAWATT_BINARY, behind the emulator named by the
// environment's IOTAWATT_EMULATOR when there is one. A cross build's ctest sets it (e.g.
// "qemu-aarch64-static", tests/CMakeLists.txt) so that the ARM daemon
// the tests start runs under qemu-user without binfmt_misc.
inline std::vector<std::string> iotawatt_argv() {
  std::vector<std::string> words;
  if (const char* emulator = std::getenv("IOTAWATT_EMULATOR")) {
    std::istringstream in(emulator);
    for (std::string w; in >> w;) words.push_back(w);
  }
  words.emplace_back(IOTAWATT_BINARY);
  return words;
}

// iotawatt_argv() as the start of a shell command (no word has a space or a quote).
inline std::string iotawatt_command() {
  std::string command;
  for (const auto& w : iotawatt_argv()) command += (command.empty() ? "" : " ") + w;
  return command;
}

// A fresh path under the temp directory, unique to this test process; anything already
// there is removed.
inline std::string temp_path(const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() / ("iotawatt-test-" + std::to_string(getpid()) + "-" + name);
  std::filesystem::remove_all(path);
  return path.string();
}

// Runs a shell command; returns its standard output and sets `exit_code`.
inline std::string run_command(const std::string& command, int* exit_code) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  *exit_code = WEXITSTATUS(pclose(pipe));
  return out;
}

// A loopback port that was free a moment ago.
inline int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class DaemonProcess {
 public:
  // Starts `iotawatt <args>` with stdout and stderr going to `log_path`.
  DaemonProcess(const std::vector<std::string>& args, std::string log_path) : log_path_(std::move(log_path)) {
    std::vector<std::string> words = iotawatt_argv();
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      execvp(argv[0], argv.data());
      _exit(127);
    }
  }
  ~DaemonProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  // Sends `sig` and waits up to `timeout` for the exit; returns the exit code, or -1.
  int stop(int sig = SIGTERM, std::chrono::seconds timeout = std::chrono::seconds(10)) {
    kill(pid_, sig);
    return wait(timeout);
  }
  int wait(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  pid_t pid() const { return pid_; }
  std::string log() const {
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string log_path_;
};

}  // namespace iw::testing
