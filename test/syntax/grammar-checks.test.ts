/** The shipped lexer and parser skip chevrotain's definition checks at start-up; here they run, and must pass. */
import { describe, expect, it } from "vitest";
import { makeLexer } from "../../src/syntax/tokens.js";
import { DbellParser } from "../../src/syntax/parser.js";

describe("grammar definition checks", () => {
  it("the token definitions pass chevrotain's lexer validations", () => {
    const lexer = makeLexer(true);
    expect(lexer.lexerDefinitionErrors).toEqual([]);
    expect(lexer.tokenize("set sysctl vm.swappiness = 10").tokens.map((t) => t.tokenType.name)).toEqual(["Set", "Word", "Word", "Equals", "Word"]);
  });

  it("the grammar passes chevrotain's parser validations (no ambiguity, no left recursion)", () => {
    // With validations on, chevrotain's self-analysis throws on any definition error.
    expect(() => new DbellParser({ validate: true })).not.toThrow();
  });
});
