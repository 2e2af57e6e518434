// The hub's registry of edge agents, deterministically: agents say hello and
// join, report changes (each seq applied once), answer the pipelines'
// questions; a silent or dead agent makes its site unreachable; per-site
// modes and the proof check refuse what they must. Virtual time, a scripted
// HTTP client, a scripted agent.
#define BOOST_TEST_MODULE agent_hub
#include "actors/agent_hub.hpp"
#include "actors/edge_agent.hpp"
#include "actors/edge_prober.hpp"
#include "actors/monitor/monitor.hpp"
#include "protocol/site_name.hpp"
#include "support/actor_fixture.hpp"
#include "support/json_query.hpp"
#include "support/mocks/http.hpp"
#include "support/monitor_json.hpp"

#include <boost/test/unit_test.hpp>
#include <caf/event_based_actor.hpp>

#include <cstdio>
#include <unistd.h>

using namespace o2hub;
using namespace std::chrono_literals;
namespace test = o2hub::test;

namespace {

struct agent_outcome {
  std::string nonce;
  agent_welcome welcome;
  std::string error;
  int queries = 0;
};

/// An agent as the hub sees it: says hello and joins when told to (the
/// signature is "sig:<nonce>"), answers queries as "via agent".
caf::behavior scripted_agent(caf::event_based_actor* self, agent_hub_actor hub,
                             std::shared_ptr<agent_outcome> out) {
  return {
      [=](atom::join, const std::string& site, const std::string& instance,
          uint32_t protocol) {
        agent_hello h;
        h.site = site;
        h.version = "9.9";
        h.protocol = protocol;
        h.instance = instance;
        h.certificate = "CERT of " + site;
        self->request(hub, caf::infinite, atom::hello_v, h)
            .then(
                [=](const std::string& nonce) {
                  out->nonce = nonce;
                  self->request(hub, caf::infinite, atom::join_v, instance,
                                "sig:" + nonce)
                      .then(
                          [=](const agent_welcome& w) {
                            out->welcome = w;
                            out->error.clear();
                          },
                          [=](const caf::error& e) { out->error = render(e); });
                },
                [=](const caf::error& e) { out->error = render(e); });
      },
      [=](atom::query, const edge_query& q) {
        ++out->queries;
        return edge_answer{"fulfilled", "via agent: " + q.arg, 200};
      },
  };
}

/// A prober's report of `status` (below).
probe_report report(const std::string& status);

struct fixture : test::actor_fixture {
  test::fetch_log log = std::make_shared<std::vector<test::pending_fetch>>();
  std::vector<test::pending_fetch>& fetches = *log;
  std::shared_ptr<config> cfg = std::make_shared<config>(default_config());
  monitor_actor mon;
  agent_hub_actor hub;
  std::string refuse; // what the proof check says ("" = accepted)

  fixture() {
    cfg->sites.resize(3);
    cfg->sites[1].agent = "required";
    cfg->sites[2].agent = "off";
    monitor_options mo;
    for (auto& s : cfg->sites)
      mo.sites.push_back(s.name);
    mo.metrics_interval = 0ms;
    mon = spawn(monitor, mo);
    agent_hub_options ho;
    ho.cfg = cfg;
    ho.http = spawn(test::scripted_http, log);
    ho.monitor = mon;
    for (auto& s : cfg->sites) {
      prober_options po;
      po.site = s.name;
      po.checks = checks_for(s, cfg->probing);
      po.interval = 10s;
      ho.probers.push_back(po);
    }
    ho.heartbeat_s = 2;
    ho.nonce = [n = 0]() mutable { return "nonce" + std::to_string(++n); };
    ho.verify = [this](const std::string& cert, const std::string& site,
                       const std::string& nonce, const std::string& sig) {
      if (!refuse.empty())
        return refuse;
      if (cert.rfind("CERT of ", 0) != 0 || normalize_site_name(cert.substr(8)) != site)
        return std::string{"certificate of another site"};
      return sig == "sig:" + nonce ? std::string{} : std::string{"bad signature"};
    };
    hub = spawn(agent_hub, ho);
    self->send(hub, atom::tick_v); // starts the probers
    run();
  }

  std::shared_ptr<agent_outcome> join(caf::actor& agent, const std::string& site,
                                      const std::string& instance,
                                      uint32_t protocol = node_protocol_version) {
    auto out = std::make_shared<agent_outcome>();
    agent = sys.spawn(scripted_agent, hub, out);
    self->send(agent, atom::join_v, site, instance, protocol);
    run();
    return out;
  }

  /// Joins `site` and reports it healthy (change `seq`); the session.
  uint64_t join_healthy(caf::actor& agent, const std::string& site,
                        const std::string& instance, uint64_t seq) {
    auto out = join(agent, site, instance);
    BOOST_TEST_REQUIRE(out->error.empty(), out->error);
    auto session = out->welcome.session;
    request<uint64_t>(hub, atom::edge_v, session, agent_change{seq, report("healthy")});
    return session;
  }

  std::string edge(const std::string& name, std::initializer_list<const char*> path) {
    auto e =
        test::to_json(request<std::vector<edge_status>>(mon, atom::get_v, atom::edges_v));
    std::vector<const char*> p{path};
    auto key = seed_site_name(name); // the monitor's wire spells "edge01"
    switch (p.size()) {
    case 1:
      return test::json_at(*e, {key.c_str(), p[0]});
    case 3:
      return test::json_at(*e, {key.c_str(), p[0], p[1], p[2]});
    default:
      return "unsupported path";
    }
  }

  size_t fetches_to(const std::string& port) {
    size_t n = 0;
    for (auto& f : fetches)
      n += f.req.url.find(":" + port + "/") != std::string::npos;
    return n;
  }

  edge_answer ask(const std::string& site, edge_query q) {
    auto a = request<edge_answer>(hub, atom::query_v, site, q);
    BOOST_REQUIRE(a);
    return *a;
  }
};

probe_report report(const std::string& status) {
  return {status, 4.5, {{"o2ims", "ok", 200, 4.5, ""}}, "", ""};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(agent_hub_logic, fixture)

BOOST_AUTO_TEST_CASE(a_joined_agent_reports_and_answers_for_its_site) {
  // edge1's direct prober asked its three endpoints on the first tick.
  BOOST_TEST(fetches_to("30201") == 1u);
  caf::actor agent;
  auto out = join(agent, "edge01", "i1");
  BOOST_TEST_REQUIRE(out->error.empty(), out->error);
  BOOST_TEST(out->welcome.session > 0u);
  BOOST_TEST(out->welcome.applied_seq == 0u);
  BOOST_TEST(out->welcome.site == "edge1");
  BOOST_TEST(out->welcome.heartbeat_s == 2u);
  // A change is applied and shown as the agent's.
  auto applied = request<uint64_t>(hub, atom::edge_v, out->welcome.session,
                                   agent_change{1, report("healthy")});
  BOOST_TEST((applied && *applied == 1u));
  BOOST_TEST(edge("edge1", {"status"}) == "healthy");
  BOOST_TEST(edge("edge1", {"via"}) == "agent");
  BOOST_TEST(edge("edge1", {"agent_version"}) == "9.9");
  // The same seq again (a replay) is not applied a second time.
  applied = request<uint64_t>(hub, atom::edge_v, out->welcome.session,
                              agent_change{1, report("degraded")});
  BOOST_TEST((applied && *applied == 1u));
  BOOST_TEST(edge("edge1", {"status"}) == "healthy");
  // The pipeline's questions go to the agent, not over HTTP.
  fetches.clear();
  auto a = ask("edge1", {"o2ims", "pr-1"});
  BOOST_TEST(a.value == "fulfilled");
  BOOST_TEST(a.message == "via agent: pr-1");
  BOOST_TEST(out->queries == 1);
  BOOST_TEST(fetches.empty());
  // The direct prober is paused: its next rounds ask nothing, and a late
  // direct report does not overwrite the agent's.
  advance(25s);
  BOOST_TEST(fetches_to("30201") == 0u);
}

// Silence is looked for four times per heartbeat: the site is unreachable
// within half a second of the third missed heartbeat (2 s each), not up to
// a whole heartbeat later.
BOOST_AUTO_TEST_CASE(a_silent_agent_is_found_soon_after_its_third_missed_heartbeat) {
  caf::actor agent;
  auto session = join_healthy(agent, "edge1", "i1", 1);
  BOOST_TEST_REQUIRE(
      static_cast<bool>(request<atom::ok>(hub, atom::heartbeat_v, session)));
  for (int i = 0; i < 12; ++i) // 6 s: three heartbeats' time, not more
    advance(500ms);
  BOOST_TEST(edge("edge1", {"status"}) == "healthy");
  advance(500ms);
  BOOST_TEST(edge("edge1", {"status"}) == "unreachable");
}

BOOST_AUTO_TEST_CASE(
    a_silent_agent_makes_its_site_unreachable_and_direct_probing_resumes) {
  caf::actor agent;
  auto session = join_healthy(agent, "edge1", "i1", 1);
  // Heartbeats keep it: 5 s with one heartbeat at 3 s.
  advance(3s);
  BOOST_TEST(static_cast<bool>(request<atom::ok>(hub, atom::heartbeat_v, session)));
  advance(5s);
  BOOST_TEST(edge("edge1", {"status"}) == "healthy");
  // Then nothing for more than 3 x 2 s.
  fetches.clear();
  advance(4s);
  BOOST_TEST(edge("edge1", {"status"}) == "unreachable");
  BOOST_TEST(edge("edge1", {"via"}) == "agent");
  auto why = edge("edge1", {"checks", "agent", "error"});
  BOOST_TEST(
      why.find("agent of edge1 (o2hub 9.9, instance i1) lost: no heartbeat for 6 s")
          != std::string::npos,
      why);
  // The session is gone; the direct prober runs again (preferred).
  BOOST_TEST(!request<atom::ok>(hub, atom::heartbeat_v, session));
  advance(10s);
  BOOST_TEST(fetches_to("30201") >= 1u);
  // A question now goes over HTTP; its failure names the lost agent.
  fetches.clear();
  self->send(hub, atom::query_v, std::string{"edge1"}, edge_query{"o2ims", "pr-1"});
  run();
  BOOST_REQUIRE_EQUAL(fetches.size(), 1u);
  fetches[0].done(fetch_result{0, 0, false, "Connection refused", ""});
  run();
  edge_answer a;
  self->receive([&](edge_answer& x) { a = x; });
  BOOST_TEST(a.value == "unreachable");
  BOOST_TEST(a.message.find("lost: no heartbeat") != std::string::npos, a.message);
  BOOST_TEST(a.message.find("Connection refused") != std::string::npos, a.message);
  // The agent joins again (same instance): what it said last holds, the
  // hub tells it which changes it already applied.
  auto again = join(agent, "edge1", "i1");
  BOOST_TEST_REQUIRE(again->error.empty(), again->error);
  BOOST_TEST(again->welcome.applied_seq == 1u);
  BOOST_TEST(again->welcome.session != session);
  BOOST_TEST(edge("edge1", {"status"}) == "healthy");
}

BOOST_AUTO_TEST_CASE(an_agent_whose_node_goes_down_is_lost_at_once) {
  caf::actor agent;
  auto out = join(agent, "edge1", "i1");
  BOOST_TEST_REQUIRE(out->error.empty(), out->error);
  request<uint64_t>(hub, atom::edge_v, out->welcome.session,
                    agent_change{1, report("healthy")});
  caf::anon_send_exit(agent, caf::exit_reason::remote_link_unreachable);
  run();
  BOOST_TEST(edge("edge1", {"status"}) == "unreachable");
  auto why = edge("edge1", {"checks", "agent", "error"});
  BOOST_TEST(why.find("the connection to its node was lost") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(site_modes_protocol_and_proof_are_enforced) {
  caf::actor agent;
  // off: never an agent.
  auto off = join(agent, "edge3", "i3");
  BOOST_TEST(off->error.find("agents are off for edge3") != std::string::npos,
             off->error);
  // Another protocol version, an unknown site.
  auto old = join(agent, "edge1", "i0", node_protocol_version + 1);
  BOOST_TEST(old->error.find("node protocol") != std::string::npos, old->error);
  auto unknown = join(agent, "edge9", "i9");
  BOOST_TEST(unknown->error.find("unknown site") != std::string::npos, unknown->error);
  // required: no agent yet, so no answer over HTTP either.
  fetches.clear();
  auto a = ask("edge2", {"promql", "up"});
  BOOST_TEST(a.value == "error: no agent connected for edge2 (agent: required)");
  BOOST_TEST(fetches.empty());
  // The proof check refuses: nothing is registered, edge1 stays direct.
  refuse = "the agent's certificate names edge9, not edge1";
  auto bad = join(agent, "edge1", "i1");
  BOOST_TEST(bad->error.find("names edge9") != std::string::npos, bad->error);
  self->send(hub, atom::query_v, std::string{"edge1"}, edge_query{"o2ims", "pr-1"});
  run();
  BOOST_TEST(fetches.size() == 1u);
  // Joining without hello, or with a stale nonce, is refused too.
  auto stale = request<agent_welcome>(hub, atom::join_v, std::string{"i1"},
                                      std::string{"sig:nonce1"});
  BOOST_TEST(!stale);
  // With a good proof, a required site gets its agent.
  refuse.clear();
  auto ok = join(agent, "edge2", "i2");
  BOOST_TEST(ok->error.empty(), ok->error);
  a = ask("edge2", {"promql", "up"});
  BOOST_TEST(a.message == "via agent: up");
}

BOOST_AUTO_TEST_CASE(a_newcomer_that_fails_its_proof_does_not_disturb_the_joined_agent) {
  caf::actor agent;
  auto out = join(agent, "edge1", "i1");
  BOOST_TEST_REQUIRE(out->error.empty(), out->error);
  auto session = out->welcome.session;
  request<uint64_t>(hub, atom::edge_v, session, agent_change{3, report("healthy")});
  // Another instance claims edge1 and fails: i1 keeps serving, its seqs
  // still count as i1's.
  refuse = "the agent's certificate names edge9, not edge1";
  caf::actor intruder;
  auto bad = join(intruder, "edge1", "i2");
  BOOST_TEST(bad->error.find("names edge9") != std::string::npos, bad->error);
  BOOST_TEST(static_cast<bool>(request<atom::ok>(hub, atom::heartbeat_v, session)));
  auto applied =
      request<uint64_t>(hub, atom::edge_v, session, agent_change{3, report("degraded")});
  BOOST_TEST((applied && *applied == 3u));
  BOOST_TEST(edge("edge1", {"status"}) == "healthy");
  BOOST_TEST(ask("edge1", {"o2ims", "pr-1"}).message == "via agent: pr-1");
  BOOST_TEST(out->queries == 1);
  // A good newcomer replaces it; the old session ends.
  refuse.clear();
  auto good = join(intruder, "edge1", "i2");
  BOOST_TEST_REQUIRE(good->error.empty(), good->error);
  BOOST_TEST(good->welcome.applied_seq == 0u);
  BOOST_TEST(!request<atom::ok>(hub, atom::heartbeat_v, session));
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// stderr (where the log goes) into a file while it lives.
struct stderr_capture {
  std::FILE* file = std::tmpfile();
  int saved = ::dup(2);

  stderr_capture() {
    std::fflush(stderr);
    ::dup2(::fileno(file), 2);
  }
  ~stderr_capture() {
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::fclose(file);
  }
  std::vector<std::string> lines() {
    std::fflush(stderr);
    std::vector<std::string> out;
    std::rewind(file);
    char buf[4096];
    while (std::fgets(buf, sizeof(buf), file))
      out.emplace_back(buf);
    return out;
  }
};

/// CAF's middleman as an agent sees it when the hub's port is closed.
caf::behavior refusing_connector(caf::event_based_actor*, std::shared_ptr<int> attempts) {
  return {
      [=](caf::connect_atom, const std::string& host, uint16_t port) -> caf::error {
        ++*attempts;
        return caf::make_error(caf::sec::cannot_connect_to_node,
                               host + ":" + std::to_string(port)
                                   + ": Connection refused");
      },
  };
}

} // namespace

BOOST_FIXTURE_TEST_CASE(an_agent_says_again_that_its_link_still_fails,
                        test::actor_fixture) {
  // The same problem is logged once, then again every tenth attempt with the
  // count, so that a link failing for hours does not fall silent.
  stderr_capture err;
  auto attempts = std::make_shared<int>(0);
  edge_agent_options o;
  o.site.name = "edge1";
  o.hub_host = "hub.example";
  o.hub_port = 4242;
  o.instance = "i-1";
  o.connector = caf::actor_cast<caf::actor>(spawn(refusing_connector, attempts));
  o.http =
      spawn(test::scripted_http, std::make_shared<std::vector<test::pending_fetch>>());
  o.prober.site = "edge1";
  o.prober.interval = 3600s;
  spawn(edge_agent, o);
  // The backoff doubles from 1 s to 30 s: each 30 s is one more attempt.
  for (int i = 0; i < 24; ++i)
    advance(30s);
  BOOST_TEST(*attempts == 25);
  std::vector<std::string> said;
  for (auto& line : err.lines())
    if (line.find("cannot reach the hub") != std::string::npos)
      said.push_back(line);
  BOOST_TEST_REQUIRE(said.size() == 3u, said.size() << " lines");
  BOOST_TEST(said[0].find("(still)") == std::string::npos, said[0]);
  BOOST_TEST(said[0].find("hub.example:4242: Connection refused") != std::string::npos,
             said[0]);
  BOOST_TEST(said[1].find("cannot reach the hub (still)") != std::string::npos, said[1]);
  BOOST_TEST(said[1].find(R"("failed_attempts":"11")") != std::string::npos, said[1]);
  BOOST_TEST(said[2].find(R"("failed_attempts":"21")") != std::string::npos, said[2]);
  BOOST_TEST(said[2].find(R"("retry_in_s":"30")") != std::string::npos, said[2]);
}
