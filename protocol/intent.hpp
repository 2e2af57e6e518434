// The intent: what o2hub understood from an operator's sentence, in the
// shape of a TMF921 intent (field names of the original service's answer).
#pragma once

#include "protocol/fwd.hpp"

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace o2hub {

/// Numbers that may be absent use this value (CAF 0.17 cannot serialize
/// std::optional).
constexpr double absent = -1;

struct intent {
  /// "intent-<unix ms>-<hex>", unique within and across processes.
  std::string intent_id;
  /// "eMBB", "URLLC" or "mMTC".
  std::string intent_type;
  std::string description;
  /// Canonical site names ("edge1").
  std::vector<std::string> target_sites;
  /// Downlink bandwidth in Mbps.
  double bandwidth_mbps = 0;
  /// Uplink in Mbps, or `absent`.
  double uplink_mbps = absent;
  double latency_ms = 0;
  /// Percent (99.999), or `absent`.
  double reliability_pct = absent;
  /// Number of devices, or -1.
  int64_t device_count = -1;
  /// SLO availability in percent.
  double availability_pct = 99.9;
  /// Slice/service type: eMBB 1, URLLC 2, mMTC 3.
  int sst = 1;
  /// Slice differentiator (6 hex digits) or empty.
  std::string sd;
  int five_qi = 9;
  /// 1 (lowest) to 10.
  int priority = 5;
  std::string lifecycle = "draft";
  /// What the operator asked: "deploy" (default), "modify" or "remove".
  std::string action = "deploy";

  friend bool operator==(const intent& x, const intent& y) {
    return x.intent_id == y.intent_id && x.intent_type == y.intent_type
           && x.description == y.description && x.target_sites == y.target_sites
           && x.bandwidth_mbps == y.bandwidth_mbps && x.uplink_mbps == y.uplink_mbps
           && x.latency_ms == y.latency_ms && x.reliability_pct == y.reliability_pct
           && x.device_count == y.device_count && x.availability_pct == y.availability_pct
           && x.sst == y.sst && x.sd == y.sd && x.five_qi == y.five_qi
           && x.priority == y.priority && x.lifecycle == y.lifecycle
           && x.action == y.action;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, intent& x) {
    return f(caf::meta::type_name("o2hub.intent"), x.intent_id, x.intent_type,
             x.description, x.target_sites, x.bandwidth_mbps, x.uplink_mbps, x.latency_ms,
             x.reliability_pct, x.device_count, x.availability_pct, x.sst, x.sd,
             x.five_qi, x.priority, x.lifecycle, x.action);
  }
};

/// A request to understand one sentence.
struct intent_request {
  std::string text;
  /// The caller's context object as JSON text ("{}" if none).
  std::string context_json = "{}";
  /// Canonical sites the caller asked for; empty: from the text.
  std::vector<std::string> target_sites;
  /// True: understand only, start no pipeline.
  bool dry_run = false;

  friend bool operator==(const intent_request& x, const intent_request& y) {
    return x.text == y.text && x.context_json == y.context_json
           && x.target_sites == y.target_sites && x.dry_run == y.dry_run;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, intent_request& x) {
    return f(caf::meta::type_name("o2hub.intent_request"), x.text, x.context_json,
             x.target_sites, x.dry_run);
  }
};

/// The pipeline started (or not) for an intent: what the answer's
/// metadata.pipeline shows.
struct pipeline_ref {
  /// The intent id; empty when none was started.
  std::string id;
  /// "started" or "not_started"; empty: no pipeline was asked for (dry run,
  /// disabled).
  std::string status;
  /// The pipeline on the monitor's REST API.
  std::string monitor;
  /// Why it did not start.
  std::string error;

  friend bool operator==(const pipeline_ref& x, const pipeline_ref& y) {
    return x.id == y.id && x.status == y.status && x.monitor == y.monitor
           && x.error == y.error;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, pipeline_ref& x) {
    return f(caf::meta::type_name("o2hub.pipeline_ref"), x.id, x.status, x.monitor,
             x.error);
  }
};

/// A word the rules read as another ("edg02" as "edge2").
struct text_correction {
  std::string from;
  std::string to;

  friend bool operator==(const text_correction& x, const text_correction& y) {
    return x.from == y.from && x.to == y.to;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, text_correction& x) {
    return f(caf::meta::type_name("o2hub.text_correction"), x.from, x.to);
  }
};

/// How an intent was produced.
struct intent_metadata {
  std::string processed_at;
  /// True when the LLM was configured but rules answered.
  bool fallback = false;
  /// "rules" or "llm".
  std::string engine = "rules";
  /// Why the LLM's answer was not used (empty if it was, or not asked).
  std::string fallback_reason;
  bool cached = false;
  double duration_ms = 0;
  /// Intent fields filled from defaults.
  std::vector<std::string> defaulted;
  /// Words read as others (site-name typos).
  std::vector<text_correction> corrections;
  /// "high", "medium" (some requirement defaulted) or "low" (the type or
  /// the sites defaulted, or a word corrected).
  std::string confidence = "high";
  /// The deployed intents a remove or modify acts on (their ids).
  std::vector<std::string> affects;
  /// The pipeline started for the intent (status empty: none asked for).
  pipeline_ref pipeline;

  friend bool operator==(const intent_metadata& x, const intent_metadata& y) {
    return x.processed_at == y.processed_at && x.fallback == y.fallback
           && x.engine == y.engine && x.fallback_reason == y.fallback_reason
           && x.cached == y.cached && x.duration_ms == y.duration_ms
           && x.defaulted == y.defaulted && x.corrections == y.corrections
           && x.confidence == y.confidence && x.pipeline == y.pipeline
           && x.affects == y.affects;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, intent_metadata& x) {
    return f(caf::meta::type_name("o2hub.intent_metadata"), x.processed_at, x.fallback,
             x.engine, x.fallback_reason, x.cached, x.duration_ms, x.defaulted,
             x.corrections, x.confidence, x.pipeline, x.affects);
  }
};

struct intent_response {
  intent value;
  intent_metadata metadata;

  friend bool operator==(const intent_response& x, const intent_response& y) {
    return x.value == y.value && x.metadata == y.metadata;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, intent_response& x) {
    return f(caf::meta::type_name("o2hub.intent_response"), x.value, x.metadata);
  }
};

/// A batch's requests are understood at most this many at a time...
constexpr size_t intent_batch_window = 8;
/// ...and each within this many seconds (an LLM call may take long).
constexpr int intent_item_timeout_s = 120;

/// One request's outcome in a batch: its answer, or why there is none.
struct intent_outcome {
  intent_response response;
  /// Set when the request failed (then `response` is empty).
  caf::error error;

  friend bool operator==(const intent_outcome& x, const intent_outcome& y) {
    return x.response == y.response && x.error == y.error;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, intent_outcome& x) {
    return f(caf::meta::type_name("o2hub.intent_outcome"), x.response, x.error);
  }
};

} // namespace o2hub
