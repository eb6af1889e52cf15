// The test binaries' main: gtest's, with one change. When a suite's SetUpTestSuite fails, gtest
// reports each of its tests as SKIPPED and exits 1; gtest_discover_tests then counts them as
// skipped (its skip pattern wins over the exit code), so a broken suite passed CI unseen. Here
// such tests are printed as FAILED, with the reason, and the summary says so: no SKIPPED line,
// so ctest goes by the exit code. A test that calls GTEST_SKIP is reported as before.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

namespace {

using ::testing::TestEventListener;
using ::testing::TestInfo;
using ::testing::TestSuite;
using ::testing::UnitTest;

bool setup_failed(const TestSuite* suite) { return suite != nullptr && suite->ad_hoc_test_result().Failed(); }

class SuiteSetupFailuresAreFailures : public TestEventListener {
 public:
  explicit SuiteSetupFailuresAreFailures(TestEventListener* printer) : printer_(printer) {}

  void OnTestProgramStart(const UnitTest& u) override { printer_->OnTestProgramStart(u); }
  void OnTestIterationStart(const UnitTest& u, int i) override { printer_->OnTestIterationStart(u, i); }
  void OnEnvironmentsSetUpStart(const UnitTest& u) override { printer_->OnEnvironmentsSetUpStart(u); }
  void OnEnvironmentsSetUpEnd(const UnitTest& u) override { printer_->OnEnvironmentsSetUpEnd(u); }
  void OnTestSuiteStart(const TestSuite& s) override { printer_->OnTestSuiteStart(s); }
  void OnTestStart(const TestInfo& t) override { printer_->OnTestStart(t); }
  void OnTestPartResult(const ::testing::TestPartResult& r) override { printer_->OnTestPartResult(r); }
  void OnTestEnd(const TestInfo& t) override {
    if (t.result()->Skipped() && setup_failed(UnitTest::GetInstance()->current_test_suite())) {
      std::printf("[  FAILED  ] %s.%s: its suite's SetUpTestSuite failed (above)\n", t.test_suite_name(), t.name());
      std::fflush(stdout);
      return;
    }
    printer_->OnTestEnd(t);
  }
  void OnTestSuiteEnd(const TestSuite& s) override { printer_->OnTestSuiteEnd(s); }
  void OnEnvironmentsTearDownStart(const UnitTest& u) override { printer_->OnEnvironmentsTearDownStart(u); }
  void OnEnvironmentsTearDownEnd(const UnitTest& u) override { printer_->OnEnvironmentsTearDownEnd(u); }
  void OnTestIterationEnd(const UnitTest& u, int i) override {
    for (int k = 0; k < u.total_test_suite_count(); ++k) {
      if (setup_failed(u.GetTestSuite(k))) {  // gtest's summary would list the tests as skipped
        std::printf("[  FAILED  ] test suite %s: SetUpTestSuite or TearDownTestSuite failed\n",
                    u.GetTestSuite(k)->name());
        std::fflush(stdout);
        return;
      }
    }
    printer_->OnTestIterationEnd(u, i);
  }
  void OnTestProgramEnd(const UnitTest& u) override { printer_->OnTestProgramEnd(u); }

 private:
  std::unique_ptr<TestEventListener> printer_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::TestEventListeners& listeners = UnitTest::GetInstance()->listeners();
  listeners.Append(new SuiteSetupFailuresAreFailures(listeners.Release(listeners.default_result_printer())));
  return RUN_ALL_TESTS();
}
