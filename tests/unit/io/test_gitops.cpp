// The git actor's durable outbox, deterministically (virtual time) against
// real local repositories: a change accepted while the remote is missing
// lands once it is there, exactly once, also across a restart of the actor.
#define BOOST_TEST_MODULE gitops
#include "io/git.hpp"
#include "io/gitops.hpp"
#include "io/record_store.hpp"
#include "support/actor_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <unistd.h>

using namespace o2hub;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct fixture : o2hub::test::actor_fixture {
  std::string dir =
      fs::temp_directory_path() / ("o2hub-gitops-" + std::to_string(::getpid()));
  std::string remote = dir + "/remote.git";
  std::shared_ptr<record_store> outbox;

  fixture() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    outbox = std::make_shared<record_store>(dir + "/o2hub.db", "git_outbox");
    BOOST_REQUIRE_MESSAGE(outbox->error().empty(), outbox->error());
  }

  ~fixture() { fs::remove_all(dir); }

  gitops_actor start_git() {
    gitops_options o;
    o.work_dir = dir + "/work";
    o.url_of = [url = remote](const std::string&) { return url; };
    o.outbox = outbox;
    o.retry_min = 250ms;
    o.retry_max = 1s;
    return spawn(gitops, std::move(o));
  }

  static git_change change(const std::string& file) {
    git_change c;
    c.message = "deploy intent i1 to edge1";
    c.write["edge1/i1/" + file] = "kind: ConfigMap\n";
    return c;
  }

  /// The remote's commit messages, newest first.
  std::vector<std::string> log() {
    std::vector<std::string> messages;
    auto err = git_log(dir + "/mirror", remote, "main", messages);
    BOOST_REQUIRE_MESSAGE(err.empty(), err);
    return messages;
  }

  /// The answer to a push sent earlier from `self`, if one came.
  std::optional<std::string> reply() {
    std::optional<std::string> out;
    self->receive([&](std::string& sha) { out = sha; },
                  [&](caf::error& err) { BOOST_FAIL(render(err)); },
                  caf::after(std::chrono::seconds(0)) >> [] {});
    return out;
  }
};

} // namespace

BOOST_FIXTURE_TEST_CASE(a_change_waits_for_a_missing_remote_and_lands_once, fixture) {
  auto git = start_git();
  self->send(git, atom::push_v, std::string{"i1:deploy:r"}, std::string{"r"},
             change("a.yaml"));
  run();
  BOOST_TEST(!reply()); // the remote is not there: no answer yet
  advance(250ms);       // first retry: still missing
  BOOST_TEST(!reply());
  BOOST_REQUIRE(git_ensure_bare(remote).empty());
  for (int i = 0; i < 10 && !fs::exists(dir + "/done"); ++i) {
    advance(1s); // the backoff doubles up to retry_max
    if (auto sha = reply()) {
      std::ofstream{dir + "/done"} << *sha;
      BOOST_TEST(sha->size() == 40u);
    }
  }
  BOOST_REQUIRE(fs::exists(dir + "/done"));
  BOOST_TEST(log() == std::vector<std::string>{"deploy intent i1 to edge1"});
  // The same op again (a resumed pipeline asks again): the same commit.
  std::string first;
  std::ifstream{dir + "/done"} >> first;
  self->send(git, atom::push_v, std::string{"i1:deploy:r"}, std::string{"r"},
             change("a.yaml"));
  run();
  auto again = reply();
  BOOST_REQUIRE(again);
  BOOST_TEST(*again == first);
  BOOST_TEST(log().size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(an_accepted_change_survives_a_restart_of_the_actor, fixture) {
  {
    auto git = start_git();
    self->send(git, atom::push_v, std::string{"i1:deploy:r"}, std::string{"r"},
               change("b.yaml"));
    run();
    BOOST_TEST(!reply());
    caf::anon_send_exit(git, caf::exit_reason::user_shutdown);
    run();
    self->receive([](caf::error&) {}, caf::after(std::chrono::seconds(0)) >> [] {});
  }
  BOOST_REQUIRE(git_ensure_bare(remote).empty());
  // A new actor on the same outbox resumes the op by itself.
  auto git = start_git();
  run();
  BOOST_TEST(log() == std::vector<std::string>{"deploy intent i1 to edge1"});
  // Asked again after the restart: answered from the outbox, no new commit.
  self->send(git, atom::push_v, std::string{"i1:deploy:r"}, std::string{"r"},
             change("b.yaml"));
  run();
  BOOST_TEST(reply().has_value());
  BOOST_TEST(log().size() == 1u);
}
