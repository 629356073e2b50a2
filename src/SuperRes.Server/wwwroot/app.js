// SuperRes web page: queue each chosen image as a job, follow its progress over server-sent events,
// then show the result over the original with a before/after divider, zoomable and movable (both sides
// together), and what was done: model, restoration strength and time. Everything comes from this server.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const modelSelect = $('#model');
const scaleSelect = $('#scale');
const restoreSelect = $('#restore');
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
  // Which scales run in int8 (about 2-4x faster on CPUs with VNNI, within 0.1 dB) and which in fp32.
  const int8 = model ? model.int8Scales : [];
  for (const s of scales) scaleSelect.add(new Option(`${s}x${int8.includes(s) ? ' · int8' : ''}`, s, s === 3, s === 3));
  // Restoration mixes a model with its restoring pair: only models that have one offer it.
  $('#restore-field').hidden = !(model && model.restores);
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
  form.append('colour', $('#colour').value);
  if (!$('#restore-field').hidden) form.append('restore', restoreSelect.value);

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
      if (view.status === 'succeeded') showResult(card, file, job.links.result, view);
      else fail(view.error || `The job ${view.status}.`);
    }
  };
  try {
    const followed = await followEvents(job.links.events, update);
    // Too many streams open for this client (a drop of many photos): watch this one by asking now and then.
    if (followed === 'refused') await poll(job.links.self, update);
    else if (!followed) fail('Lost contact with the server.');
  } catch {
    fail('Lost contact with the server.');
  }
}

// Server-sent events read with fetch rather than EventSource, which cannot send the API key.
// Returns true once the "done" event has arrived.
async function followEvents(url, onEvent) {
  const response = await api(url, { headers: { Accept: 'text/event-stream' } });
  if (response.status === 429) return 'refused';
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

// Asks for the job's state every second until it is finished; reports each as the event stream would.
async function poll(url, onEvent) {
  for (;;) {
    const response = await api(url);
    if (!response.ok) throw new Error(`status ${response.status}`);
    const view = await response.json();
    const finished = ['succeeded', 'failed', 'canceled'].includes(view.status);
    onEvent(finished ? 'done' : 'progress', view);
    if (finished) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function showResult(card, file, url, view) {
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
  // A browser may not show the original (HEIC in Chromium, say): the result is shown alone then, and the card says why.
  const canShowBefore = await before.decode().then(() => true, () => false);
  const width = after.naturalWidth;
  const height = after.naturalHeight;
  $('.dims', card).textContent = `${width} x ${height}`;
  $('.how', card).textContent = describe(view) + (canShowBefore ? '' : ' · this browser cannot show the original');
  card.classList.toggle('no-before', !canShowBefore);
  card.dataset.width = width;
  card.dataset.height = height;
  const download = $('.download', card);
  download.href = resultUrl;
  download.download = file.name.replace(/\.[^.]+$/, '') + '_upscaled' + extensionOf(blob.type);
  $('.result', card).hidden = false;
  $('progress', card).hidden = true;
  $('.state', card).textContent = 'done';
  new Viewer(card, width, height);
}

// "superres-edsr 3x · restore 0.9 (auto: JPEG quality 60) · 1.42 s": what the server did with the picture.
function describe(view) {
  const parts = [`${view.model} ${view.scale}x`];
  if (view.restore) {
    const r = view.restore;
    parts.push(`restore ${r.strength.toFixed(1)}` + (r.auto ? ` (auto: ${r.basis})` : ''));
  }
  if (view.warning) parts.push(view.warning);
  if (view.cacheHit) parts.push('from the cache');
  else if (view.runSeconds != null) parts.push(`${view.runSeconds.toFixed(2)} s`);
  return parts.join(' · ');
}

// Before (the original, enlarged to the result's size) and after (the result) under one zoom and pan: a zoom of 1
// shows one result pixel per CSS pixel. Wheel zooms at the cursor, dragging moves, the slider moves the divider.
class Viewer {
  constructor(card, width, height) {
    this.frame = $('.viewer', card);
    this.images = [$('.after', card), $('.before', card)];
    this.clip = $('.before-clip', card);
    this.divider = $('.divider', card);
    this.slider = $('.slider', card);
    this.level = $('.zoom-level', card);
    this.width = width;
    this.height = height;
    for (const img of this.images) {
      img.style.width = `${width}px`;
      img.style.height = `${height}px`;
    }
    this.frame.style.height = `${Math.min(height * this.frame.clientWidth / width, window.innerHeight * 0.7)}px`;
    this.fit();
    this.slider.addEventListener('input', () => this.placeDivider());
    for (const button of card.querySelectorAll('.zoom button')) {
      button.addEventListener('click', () => {
        const z = button.dataset.zoom;
        if (z === 'fit') this.fit();
        else this.zoomAt(Number(z), this.frame.clientWidth / 2, this.frame.clientHeight / 2);
      });
    }
    this.frame.addEventListener('wheel', (e) => {
      e.preventDefault();
      const box = this.frame.getBoundingClientRect();
      this.zoomAt(this.zoom * Math.exp(-e.deltaY * 0.0015), e.clientX - box.left, e.clientY - box.top);
    }, { passive: false });
    this.frame.addEventListener('pointerdown', (e) => {
      this.drag = { x: e.clientX, y: e.clientY, tx: this.tx, ty: this.ty };
      this.frame.setPointerCapture(e.pointerId);
      this.frame.classList.add('dragging');
    });
    this.frame.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      this.tx = this.drag.tx + e.clientX - this.drag.x;
      this.ty = this.drag.ty + e.clientY - this.drag.y;
      this.apply();
    });
    const stop = () => { this.drag = null; this.frame.classList.remove('dragging'); };
    this.frame.addEventListener('pointerup', stop);
    this.frame.addEventListener('pointercancel', stop);
    window.addEventListener('resize', () => this.fit());
    this.placeDivider();
  }

  get fitZoom() {
    return Math.min(this.frame.clientWidth / this.width, this.frame.clientHeight / this.height);
  }

  fit() {
    this.zoom = this.fitZoom;
    this.tx = (this.frame.clientWidth - this.width * this.zoom) / 2;
    this.ty = (this.frame.clientHeight - this.height * this.zoom) / 2;
    this.apply();
  }

  // Zooms to z keeping the picture point under (x, y) of the frame where it is.
  zoomAt(z, x, y) {
    const zoom = Math.min(Math.max(z, Math.min(this.fitZoom, 1)), 16);
    this.tx = x - (x - this.tx) * zoom / this.zoom;
    this.ty = y - (y - this.ty) * zoom / this.zoom;
    this.zoom = zoom;
    this.apply();
  }

  apply() {
    // Keep the picture over the frame: no panning into emptiness beyond its edges.
    const w = this.width * this.zoom;
    const h = this.height * this.zoom;
    const fw = this.frame.clientWidth;
    const fh = this.frame.clientHeight;
    this.tx = w <= fw ? (fw - w) / 2 : Math.min(0, Math.max(fw - w, this.tx));
    this.ty = h <= fh ? (fh - h) / 2 : Math.min(0, Math.max(fh - h, this.ty));
    const transform = `translate(${this.tx}px, ${this.ty}px) scale(${this.zoom})`;
    for (const img of this.images) img.style.transform = transform;
    this.frame.classList.toggle('sharp', this.zoom > 1);
    this.level.textContent = `${Math.round(this.zoom * 100)} %`;
  }

  placeDivider() {
    this.clip.style.width = `${this.slider.value}%`;
    this.divider.style.left = `${this.slider.value}%`;
  }
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
