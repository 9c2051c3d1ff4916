// Talking to tpt serve: JSON in and out, the CSRF token on every request
// that changes something, and the server's errors put into plain words
// (refusals.js).
// The session cookie is HttpOnly: this code never sees it. Every request
// says the pages' language (Accept-Language), so the server's texts come in it.

import { language, t } from './i18n.js';
import { plainError } from './refusals.js';

const API = '/api/v1';

let csrf = null;
let onSignedOut = null;

export class ApiError extends Error {
  constructor(message, status = 0, body = null) {
    super(message);
    this.status = status;
    this.body = body;
    this.code = (body && body.error && body.error.code) || null;
    this.field = (body && body.error && body.error.field) || null;
    // the server was not reached at all (no connection): worth trying again later
    this.offline = Boolean(body && body.offline);
  }
}

export function setCsrf(token) {
  csrf = token || null;
}

// Called when the server says the sign-in has ended (401 on a page that
// needs it), so the shell can show the sign-in page.
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

async function send(method, path, body) {
  const headers = { 'Accept-Language': language() };
  const options = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let response;
  try {
    response = await fetch(API + path, options);
  } catch {
    throw new ApiError(t('tpt could not reach its server. Check the connection and that tpt serve is still running, then try again.'), 0, { offline: true });
  }
  const type = response.headers.get('Content-Type') || '';
  if (!type.startsWith('application/json')) {
    if (response.ok) return response.text();
    throw new ApiError(plainError(response.status, null), response.status);
  }
  let data;
  try {
    data = await response.json();
  } catch {
    throw new ApiError(t('The server sent an answer tpt cannot read. Please try again.'), response.status);
  }
  if (!response.ok) throw new ApiError(plainError(response.status, data), response.status, data);
  return data;
}

// One request; a refused CSRF token is fetched again once (another tab may
// have signed in anew), and a 401 tells the shell.
export async function api(method, path, body) {
  try {
    return await send(method, path, body);
  } catch (err) {
    if (err.code === 'csrf' && method !== 'GET') {
      try {
        const me = await send('GET', '/me');
        setCsrf(me.csrf);
        return await send(method, path, body);
      } catch (again) {
        if (again.status === 401 && onSignedOut) onSignedOut();
        throw again;
      }
    }
    if (err.status === 401 && err.code !== 'bad-credentials' && onSignedOut) onSignedOut();
    throw err;
  }
}

export const get = (path) => api('GET', path);
export const post = (path, body = {}) => api('POST', path, body);
export const change = (path, body) => api('PUT', path, body);
export const remove = (path) => api('DELETE', path);

// A GET that may find nothing yet: null for a 404 instead of an error.
export async function getOrNull(path) {
  try {
    return await get(path);
  } catch (err) {
    if (err.status === 404) return null;
    throw err;
  }
}

export const url = (path) => API + path;
