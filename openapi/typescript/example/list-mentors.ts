/**
 * A front end's first steps with the generated client (openapi/typescript/schema.d.ts):
 * log in, list the mentors page by page following `next_cursor`, and handle a problem
 * response by its `type`. `make client-check` type-checks it with `tsc --strict` and runs it
 * with Node.js against a live server holding the demo data.
 *
 *   MENTORAT_URL=http://127.0.0.1:8000 node openapi/typescript/dist/example/list-mentors.js
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";

import type { components, paths } from "../schema.js";

type MentorRead = components["schemas"]["MentorRead"];
type Problem = components["schemas"]["Problem"];

const baseUrl = process.env.MENTORAT_URL ?? "http://127.0.0.1:8000";
const email = process.env.MENTORAT_EMAIL ?? "admin@mentorat.example";
const password = process.env.MENTORAT_PASSWORD ?? "mentorat-demo-2026";

/** What to tell a person for each problem type a list or a read can answer. */
function explain(problem: Problem): string {
  switch (problem.type) {
    case "not-found":
      return `nothing there (${problem.status}): ${problem.detail}`;
    case "validation-error":
      return `check the fields: ${(problem.errors ?? []).map((e) => e.loc.join(".")).join(", ")}`;
    case "too-many-requests":
      return "too many requests, try again later";
    default:
      return `${problem.title} (${problem.status})`;
  }
}

/** One page of mentors, after `cursor` (the first page without one). */
function mentorPage(client: Client<paths>, cursor: string | null) {
  return client.GET("/api/v1/mentors", {
    params: { query: { limit: 10, cursor: cursor ?? undefined } },
  });
}

async function main(): Promise<void> {
  const client = createClient<paths>({ baseUrl, headers: { "Accept-Language": "en" } });

  const login = await client.POST("/api/v1/auth/token", {
    body: { grant_type: "password", username: email, password },
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  if (login.error !== undefined) {
    throw new Error(`login refused: ${explain(login.error)}`);
  }
  const token: string = login.data.access_token;
  const bearer: Middleware = {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
  client.use(bearer);

  const mentors: MentorRead[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await mentorPage(client, cursor);
    if (page.error !== undefined) {
      throw new Error(`listing refused: ${explain(page.error)}`);
    }
    mentors.push(...page.data.items);
    cursor = page.data.next_cursor;
    pages += 1;
  } while (cursor !== null && pages < 1000);

  const missing = await client.GET("/api/v1/mentors/{profile_id}", {
    params: { path: { profile_id: "00000000-0000-4000-8000-000000000000" } },
  });
  if (missing.error === undefined) {
    throw new Error("a mentor that does not exist was found");
  }
  const problem: Problem = missing.error;
  console.log(explain(problem));
  console.log(
    JSON.stringify({
      mentors: mentors.length,
      distinct: new Set(mentors.map((m) => m.id)).size,
      pages,
      problem: problem.type,
      status: problem.status,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
