/**
 * The policy IR: what lowering makes of the syntax tree. Types only.
 * A module's configuration is a tree of maps, lists and scalars; every node keeps the source place it came from.
 */
import type { Span } from "../diagnostics/span.js";

export interface ScalarNode {
  readonly kind: "Scalar";
  /** The exact text: numbers stay as written (`1000000`, `0640`), strings decoded. */
  readonly text: string;
  readonly form: "word" | "string" | "multiline";
  readonly origin: Span;
}

export interface ListNode {
  readonly kind: "List";
  readonly items: readonly ScalarNode[];
  readonly origin: Span;
}

export interface MapEntry {
  readonly key: string;
  readonly keyOrigin: Span;
  readonly value: ConfigNode;
}

/** Entries in the order they were first written. */
export interface MapNode {
  readonly kind: "Map";
  readonly entries: ReadonlyMap<string, MapEntry>;
  readonly origin: Span;
}

export type ConfigNode = ScalarNode | ListNode | MapNode;

export interface DefaultTarget {
  readonly kind: "Default";
}

export interface HostTarget {
  readonly kind: "Host";
  /** Matched against the node label `kubernetes.io/hostname`. */
  readonly name: string;
  readonly origin: Span;
}

export interface LabelTarget {
  readonly kind: "Label";
  readonly key: string;
  /** Sorted, without repeats: the selector `key in values`. */
  readonly values: readonly string[];
  readonly origin: Span;
}

export type Target = DefaultTarget | HostTarget | LabelTarget;

export interface UnsetIR {
  /** Keys below the module; empty means everything the module inherits. */
  readonly path: readonly string[];
  readonly origin: Span;
}

/** One rule's settings for one module. */
export interface ModulePart {
  readonly module: string;
  readonly sets: MapNode;
  readonly unsets: readonly UnsetIR[];
  /** Every statement of the rule that names this module. */
  readonly origins: readonly Span[];
}

/** All blocks naming one target, merged. */
export interface Rule {
  readonly target: HostTarget | LabelTarget;
  /** Position among the policy's rules: the order of each target's first block. Later label rules win. */
  readonly index: number;
  /** Written `layer on ...`: merged over the other matching layers instead of replacing them (docs/language.md). */
  readonly layered: boolean;
  /** The target of every block that makes up this rule. */
  readonly origins: readonly Span[];
  readonly parts: ReadonlyMap<string, ModulePart>;
}

/**
 * How a module's DaemonSets are deployed (`set deploy all { ... }` / `set deploy MODULE { ... }`), with every default
 * applied. The command line may still override namespace and image.
 */
export interface DeploySettings {
  /** Undefined: the namespace kubectl is pointed at. */
  readonly namespace?: string;
  readonly image: string;
  /** The value of the `dbell.io/policy` label on every object, for pruning. */
  readonly policy: string;
  /** A whole number (`1`) or a percentage (`10%`) of the nodes of one DaemonSet. */
  readonly maxUnavailable: string;
  /** Empty: no priority class. */
  readonly priorityClassName: string;
  readonly tolerateAllTaints: boolean;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  /** Extra labels and annotations of every object, in key order. */
  readonly labels: readonly (readonly [string, string])[];
  readonly annotations: readonly (readonly [string, string])[];
  readonly imagePullSecrets: readonly string[];
  /** The pods' nodeSelector, in key order. */
  readonly nodeSelector: readonly (readonly [string, string])[];
}

export interface Policy {
  /** The registered modules that are not disabled, in registry order. */
  readonly modules: readonly string[];
  /** Per enabled module. */
  readonly deploy: ReadonlyMap<string, DeploySettings>;
  readonly disabled: ReadonlyMap<string, Span>;
  /** Top-level settings per module (an empty map for a module without defaults). */
  readonly defaults: ReadonlyMap<string, ModulePart>;
  readonly rules: readonly Rule[];
}

/** The node a variant is chosen for. */
export interface NodeFacts {
  readonly hostname: string;
  readonly labels: ReadonlyMap<string, string>;
}
