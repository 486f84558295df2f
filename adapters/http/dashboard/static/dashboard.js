// Dashboard page script: polls /dashboard/data and draws the figures with Chart.js.
// Plain browser JavaScript, served as is, so users need no build step.
'use strict';

const POLL_INTERVAL_MS = 5000;
// The page was opened as /dashboard?token=...; data requests send the token as a Bearer header.
const token = new URLSearchParams(window.location.search).get('token');

const charts = {};

function headers() {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function formatNumber(value, digits = 0) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
}

function formatPercent(ratio) {
  return ratio === null || ratio === undefined ? '–' : `${(ratio * 100).toFixed(1)}%`;
}

function formatUsd(value, digits = 2) {
  return value === null || value === undefined ? '–' : `$${Number(value).toFixed(digits)}`;
}

function setField(name, text) {
  for (const element of document.querySelectorAll(`[data-field="${name}"]`)) element.textContent = text;
}

function setReport(name, text) {
  const cell = document.querySelector(`[data-report="${name}"]`);
  if (cell) cell.textContent = text;
}

function minuteLabel(iso) {
  return iso.slice(11, 16);
}

function makeChart(id, type, datasets, options = {}) {
  const canvas = document.getElementById(id);
  return new window.Chart(canvas, {
    type,
    data: { labels: [], datasets: datasets.map((label) => ({ label, data: [] })) },
    options: {
      animation: false,
      maintainAspectRatio: false,
      responsive: true,
      scales: { y: { beginAtZero: true } },
      ...options,
    },
  });
}

function createCharts() {
  charts.messages = makeChart('chart-messages', 'bar', ['messages', 'errors']);
  charts.latency = makeChart('chart-latency', 'line', ['p50', 'p95', 'p99']);
  charts.errors = makeChart('chart-errors', 'line', ['error rate %']);
  charts.cost = makeChart('chart-cost', 'bar', ['USD']);
  charts.fallbacks = makeChart('chart-fallbacks', 'bar', ['activations'], { plugins: { legend: { display: false } } });
}

function updateChart(chart, labels, series) {
  chart.data.labels = labels;
  series.forEach((data, index) => {
    chart.data.datasets[index].data = data;
  });
  chart.update('none');
}

function renderCharts(snapshot) {
  const minutes = snapshot.perMinute.map((point) => minuteLabel(point.minute));
  updateChart(charts.messages, minutes, [
    snapshot.perMinute.map((point) => point.messages),
    snapshot.perMinute.map((point) => point.errors),
  ]);
  updateChart(charts.latency, minutes, [
    snapshot.perMinute.map((point) => point.p50),
    snapshot.perMinute.map((point) => point.p95),
    snapshot.perMinute.map((point) => point.p99),
  ]);
  updateChart(charts.errors, minutes, [
    snapshot.perMinute.map((point) => (point.messages === 0 ? null : (100 * point.errors) / point.messages)),
  ]);
  updateChart(
    charts.cost,
    snapshot.costPerDay.map((day) => day.day.slice(5)),
    [snapshot.costPerDay.map((day) => day.costUsd)],
  );
  const fallbacks = snapshot.fallbackActivations;
  updateChart(charts.fallbacks, ['secondary LLM', 'rules', 'handoff'], [
    [fallbacks.secondary, fallbacks.rules, fallbacks.handoff],
  ]);
}

function renderTiles(snapshot) {
  const { latency, fallbackActivations: fallbacks, satisfaction } = snapshot;
  const today = snapshot.costPerDay[snapshot.costPerDay.length - 1];
  setField('messagesPerMinute', formatNumber(snapshot.messagesPerMinute, 1));
  setField('latency', `${formatNumber(latency.p50)} / ${formatNumber(latency.p95)} / ${formatNumber(latency.p99)} ms`);
  setField('errorRate', formatPercent(snapshot.errorRate));
  setField('costToday', formatUsd(today ? today.costUsd : null, 4));
  setField('fallbacks', String(fallbacks.secondary + fallbacks.rules + fallbacks.handoff));
  setField('hallucinationsCaught', String(snapshot.hallucinationsCaught));
  setField('abuseBlocked', String(snapshot.abuseBlocked));
  setField('openHandoffs', String(snapshot.openHandoffs));
  setField('satisfaction', `${formatNumber(satisfaction.window, 2)} / ${formatNumber(satisfaction.total, 2)}`);
}

function renderMonth(report) {
  setField('month', report.month);
  setReport('messagesHandled', String(report.messagesHandled));
  setReport('averageResponseMs', report.averageResponseMs === null ? '–' : `${formatNumber(report.averageResponseMs)} ms`);
  setReport('uptime', formatPercent(report.uptime));
  setReport('totalCostUsd', formatUsd(report.totalCostUsd));
  setReport('costPerMessageUsd', formatUsd(report.costPerMessageUsd, 4));
  setReport('satisfaction', formatNumber(report.satisfaction, 2));
  setReport('hallucinationsCaught', String(report.hallucinationsCaught));
  setReport('abuseBlocked', String(report.abuseBlocked));
  setReport('fallbackActivations', String(report.fallbackActivations));
}

function setStatus(text, isError) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

async function refresh() {
  try {
    const response = await fetch('/dashboard/data', { headers: headers(), cache: 'no-store' });
    if (!response.ok) {
      setStatus(`Loading data failed: HTTP ${response.status}${response.status === 401 ? ' (open the page with ?token=ADMIN_TOKEN)' : ''}`, true);
      return;
    }
    const snapshot = await response.json();
    renderTiles(snapshot);
    renderCharts(snapshot);
    renderMonth(snapshot.month);
    setStatus(`Updated ${new Date(snapshot.generatedAt).toLocaleTimeString()}`, false);
  } catch (error) {
    setStatus(`Loading data failed: ${error.message}`, true);
  }
}

function start() {
  createCharts();
  refresh();
  setInterval(refresh, POLL_INTERVAL_MS);
}

document.addEventListener('DOMContentLoaded', start);
