// SuperRes web page: queue each chosen image as a job, follow its progress over server-sent events,
// then show the result next to the original with a before/after slider. Everything comes from this server.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const modelSelect = $('#model');
const scaleSelect = $('#scale');
let models = [];

async function loadModels() {
  try {
    const response = await fetch('/api/v1/models');
    models = await response.json();
  } catch {
    $('#notice').textContent = 'The server did not answer; reload the page to try again.';
    return;
  }
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
    const response = await fetch('/api/v1/jobs', { method: 'POST', body: form });
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
  const events = new EventSource(job.links.events);
  const update = (e) => {
    const view = JSON.parse(e.data);
    bar.value = view.progress;
    state.textContent = view.status === 'running' ? `running, ${Math.round(view.progress * 100)} %` : view.status;
    if (e.type === 'done') {
      events.close();
      if (view.status === 'succeeded') showResult(card, file, job.links.result);
      else fail(view.error || `The job ${view.status}.`);
    }
  };
  events.addEventListener('progress', update);
  events.addEventListener('done', update);
  events.onerror = () => { if (events.readyState === EventSource.CLOSED) fail('Lost contact with the server.'); };
}

async function showResult(card, file, url) {
  const response = await fetch(url);
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
loadModels();
