// Where the tests find the binary, the source tree and helper programs: from
// the environment CTest sets (tests/CMakeLists.txt), not from compile-time
// definitions, so test objects do not depend on the checkout's path and
// ccache shares them between clones.
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace o2hub::test {

/// The value of a variable CTest sets; throws (failing the test with its
/// name) when the test was started without it.
inline std::string required_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0')
    throw std::runtime_error(std::string{name}
                             + " is not set: run the tests through ctest");
  return v;
}

/// The o2hub binary under test.
inline std::string binary() {
  return required_env("O2HUB_BINARY");
}

/// The source tree (fixtures, example configs, golden files, webui/).
inline std::string source_dir() {
  return required_env("O2HUB_SOURCE_DIR");
}

/// The stand-in for the claude CLI (tests/support/fake_llm_cli.cpp).
inline std::string fake_llm_cli() {
  return required_env("O2HUB_FAKE_LLM_CLI");
}

} // namespace o2hub::test
