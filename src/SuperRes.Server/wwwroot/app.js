// SuperRes web page: queue each chosen image as a job, follow its progress over server-sent events,
// then show the result next to the original with a before/after slider. Everything comes from this server.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const modelSelect = $('#model');
const scaleSelect = $('#scale');
let models = [];

// A server with API keys answers 401 until the page sends one: it asks once and keeps the key for this tab.
const keyField = $('#key-field');
const keyInput = $('#api-key');
keyInput.value = sessionStorage.getItem('superres-api-key') || '';

function api(url, options = {}) {
  const headers = new Headers(options.headers || {});
  if (keyInput.value) headers.set('X-Api-Key', keyInput.value);
  return fetch(url, { ...options, headers });
}

async function loadModels() {
  try {
    const response = await api('/api/v1/models');
    if (response.status === 401) {
      keyField.hidden = false;
      $('#notice').textContent = keyInput.value ? 'That API key is not known to this server.' : 'This server needs an API key.';
      return;
    }
    models = await response.json();
  } catch {
    $('#notice').textContent = 'The server did not answer; reload the page to try again.';
    return;
  }
  $('#notice').textContent = '';
  modelSelect.innerHTML = '';
  for (const m of models) {
    // Measured quality and cost, so people can pick between sharper and faster.
    const figures = m.set5PsnrX3 ? ` · ${m.set5PsnrX3.toFixed(2)} dB, ${(m.macsPerPixelX3 / 1e6).toFixed(2)} M MAC/px` : '';
    const option = new Option(m.name + (m.isDefault ? ' (default)' : '') + figures, m.name, m.isDefault, m.isDefault);
    if (m.description) option.title = m.description;
    modelSelect.add(option);
  }
  fillScales();
}

function fillScales() {
  const model = models.find((m) => m.name === modelSelect.value);
  const scales = (model ? model.scales : [2, 3, 4]).filter((s) => s <= 4);
  scaleSelect.innerHTML = '';
  for (const s of scales) scaleSelect.add(new Option(`${s}x`, s, s === 3, s === 3));
}

function plainError(problem, fallback) {
  if (problem && problem.detail) return problem.detail;
  if (problem && problem.title) return problem.title;
  return fallback;
}

async function upscale(file) {
  const card = $('#job-template').content.firstElementChild.cloneNode(true);
  $('.name', card).textContent = file.name;
  $('#jobs').prepend(card);
  const state = $('.state', card);
  const bar = $('progress', card);
  const fail = (message) => {
    state.textContent = 'failed';
    const error = $('.error', card);
    error.textContent = message;
    error.hidden = false;
    bar.hidden = true;
  };

  const form = new FormData();
  form.append('image', file);
  form.append('model', modelSelect.value);
  form.append('scale', scaleSelect.value);
  if ($('#format').value) form.append('format', $('#format').value);

  let job;
  try {
    const response = await api('/api/v1/jobs', { method: 'POST', body: form });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const wait = response.headers.get('Retry-After');
      fail(plainError(body, `The server refused the image (${response.status}).`) + (wait ? ` Try again in ${wait} s.` : ''));
      return;
    }
    job = body;
  } catch {
    fail('The upload did not reach the server.');
    return;
  }

  state.textContent = 'queued';
  const update = (type, view) => {
    bar.value = view.progress;
    state.textContent = view.status === 'running' ? `running, ${Math.round(view.progress * 100)} %` : view.status;
    if (type === 'done') {
      if (view.status === 'succeeded') showResult(card, file, job.links.result);
      else fail(view.error || `The job ${view.status}.`);
    }
  };
  try {
    if (!(await followEvents(job.links.events, update))) fail('Lost contact with the server.');
  } catch {
    fail('Lost contact with the server.');
  }
}

// Server-sent events read with fetch rather than EventSource, which cannot send the API key.
// Returns true once the "done" event has arrived.
async function followEvents(url, onEvent) {
  const response = await api(url, { headers: { Accept: 'text/event-stream' } });
  if (!response.ok || !response.body) return false;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let type = 'message';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return false;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      if (line.startsWith('event: ')) type = line.slice(7);
      else if (line.startsWith('data: ')) {
        onEvent(type, JSON.parse(line.slice(6)));
        if (type === 'done') {
          reader.cancel();
          return true;
        }
      }
    }
  }
}

async function showResult(card, file, url) {
  const response = await api(url);
  if (!response.ok) {
    $('.state', card).textContent = 'failed';
    return;
  }
  const blob = await response.blob();
  const after = $('.after', card);
  const before = $('.before', card);
  const resultUrl = URL.createObjectURL(blob);
  after.src = resultUrl;
  before.src = URL.createObjectURL(file);
  await after.decode();
  $('.dims', card).textContent = `${after.naturalWidth} x ${after.naturalHeight}`;
  card.dataset.width = after.naturalWidth;
  card.dataset.height = after.naturalHeight;
  const download = $('.download', card);
  download.href = resultUrl;
  download.download = file.name.replace(/\.[^.]+$/, '') + '_upscaled' + extensionOf(blob.type);
  const slider = $('.slider', card);
  const clip = $('.before-clip', card);
  const divider = $('.divider', card);
  const place = () => {
    clip.style.width = `${slider.value}%`;
    divider.style.left = `${slider.value}%`;
    before.style.width = `${after.clientWidth}px`;
    before.style.height = `${after.clientHeight}px`;
  };
  slider.addEventListener('input', place);
  window.addEventListener('resize', place);
  $('.result', card).hidden = false;
  $('progress', card).hidden = true;
  $('.state', card).textContent = 'done';
  place();
}

function extensionOf(type) {
  return { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp', 'image/tiff': '.tiff', 'image/bmp': '.bmp' }[type] || '';
}

function take(files) {
  $('#notice').textContent = '';
  for (const file of files) upscale(file);
}

const drop = $('#drop');
$('#files').addEventListener('change', (e) => { take(e.target.files); e.target.value = ''; });
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); take(e.dataTransfer.files); });
modelSelect.addEventListener('change', fillScales);
keyInput.addEventListener('change', () => {
  sessionStorage.setItem('superres-api-key', keyInput.value);
  loadModels();
});
loadModels();
