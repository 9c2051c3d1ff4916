// The clinic the calendar's browser tests work in, made through the API as
// an administrator would: North Clinic in Europe/London, one location, a
// first visit (60 minutes, bookable online) and a follow-up (30 minutes),
// the owner's working hours Monday to Friday with a lunch break, and a
// patient with an email address.
import assert from 'node:assert/strict';

export const OWNER = { name: 'Ruth Ames', email: 'ruth@north.example', password: 'a long clinic password' };

// A signed-in API client of its own cookies and CSRF token.
export function client(base) {
  let cookie = '';
  let csrf = '';
  const call = async (method, path, body) => {
    const r = await fetch(`${base}api/v1${path}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}), ...(csrf ? { 'X-CSRF-Token': csrf } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const set = r.headers.getSetCookie();
    if (set.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
    const answer = r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text();
    if (answer && answer.csrf) csrf = answer.csrf;
    return { status: r.status, body: answer };
  };
  return {
    call,
    async ok(method, path, body) {
      const { status, body: answer } = await call(method, path, body);
      assert.ok(status < 300, `${method} ${path}: ${status} ${JSON.stringify(answer)}`);
      return answer;
    },
  };
}

export const HOURS = {
  weekly: ['mon', 'tue', 'wed', 'thu'].map((day) => ({ day, from: '09:00', to: '17:00' }))
    .concat([{ day: 'fri', from: '09:00', to: '13:00' }]),
  breaks: ['mon', 'tue', 'wed', 'thu'].map((day) => ({ day, from: '12:30', to: '13:30' })),
  off: [],
};

// Makes the clinic; answers { api, owner (the account's id), patient,
// today and nextMonday (on the clinic's clock) }.
export async function seedClinic(base) {
  const api = client(base);
  const setup = await api.ok('POST', '/setup', { ...OWNER, clinic: 'North Clinic' });
  const owner = setup.user.id;
  await api.ok('PUT', '/clinic/profile', {
    slug: 'north', zone: 'Europe/London', address: '1 High Street', town: 'Leeds', postcode: 'LS1 4AP',
    phone: '0113 496 0000', email: 'desk@north.example', listed: true, booking: true,
    about: 'Trigger point therapy, dry needling and acupuncture for sciatica and low back pain.',
  });
  await api.ok('POST', '/clinic/locations', { name: 'High Street', address: '1 High Street', town: 'Leeds', postcode: 'LS1 4AP' });
  await api.ok('POST', '/clinic/services', { name: 'First visit', kind: 'first', minutes: 60, online: true, modalities: ['dry-needling', 'acupuncture'] });
  await api.ok('POST', '/clinic/services', { name: 'Follow-up', kind: 'follow-up', minutes: 30, modalities: ['dry-needling', 'cupping', 'massage'] });
  await api.ok('PUT', `/clinic/practitioners/${owner}`, {
    qualifications: 'MSc Physiotherapy; licensed acupuncturist', modalities: ['dry-needling', 'acupuncture', 'cupping'],
    bookable: true, hours: HOURS,
  });
  const { patient } = await api.ok('POST', '/patients', { name: 'Anna Berg' });
  await api.ok('PUT', `/patients/${patient.id}/details`, { contact: 'anna@example.org, 07700 900123' });
  const { today } = await api.ok('GET', '/calendar?days=1');
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 7 - ((d.getUTCDay() + 6) % 7));
  return { api, owner, patient: patient.id, today, nextMonday: d.toISOString().slice(0, 10) };
}

// Answers the booking's safety questions: "No" to every yes-or-no question
// but those given, an age of 45 and two weeks since the start.
export async function answerBookingScreen(page, yes = []) {
  for (const set of await page.locator('#booking-screen fieldset.question').all()) {
    const key = await set.getAttribute('data-key');
    if (await set.locator('input[type="number"]').count()) {
      await set.locator('input[type="number"]').fill(key === 'age' ? '45' : '2');
    } else {
      await set.locator(`input[value="${yes.includes(key) ? 'true' : 'false'}"]`).check();
    }
  }
  await page.click('#booking-screen button[type="submit"]');
}
