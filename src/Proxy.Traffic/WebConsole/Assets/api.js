// The admin API with the session cookie; every change carries the session's request token.
let requestToken = null;

export function useSession(session) {
  requestToken = session?.requestToken ?? null;
}

export class ProblemError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

// A problem details answer in words: its title, its detail, then each field's errors.
function describe(status, problem) {
  if (!problem || typeof problem !== 'object') return `The gateway answered ${status}.`;
  const parts = [problem.title, problem.detail].filter(Boolean);
  for (const [field, messages] of Object.entries(problem.errors ?? {})) {
    for (const message of messages) parts.push(`${field}: ${message}`);
  }
  return parts.join(' — ') || `The gateway answered ${status}.`;
}

export async function api(method, path, body, headers = {}) {
  const sent = { Accept: 'application/json', ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (method !== 'GET' && requestToken) sent['X-Proxy-Console-Token'] = requestToken;
  const response = await fetch(path, {
    method,
    headers: sent,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ProblemError(response.status, data);
  return { data, etag: response.headers.get('ETag') };
}

export const get = async (path) => (await api('GET', path)).data;
