// GET /api/stream as an EventSource: `incident` and `unit` events to the
// page's handlers, and the connection's state to a status line. A lost
// stream reconnects by itself (the server's retry: 3000) and says so.

export function openStream({ onIncident, onUnit, onState }) {
  const source = new EventSource('/api/stream', { withCredentials: true });
  const state = (s) => onState && onState(s);
  state('connecting');
  source.addEventListener('open', () => state('open'));
  source.addEventListener('error', () => state(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
  if (onIncident) source.addEventListener('incident', (e) => onIncident(JSON.parse(e.data)));
  if (onUnit) source.addEventListener('unit', (e) => onUnit(JSON.parse(e.data)));
  return () => source.close();
}

export const STREAM_STATE_ZH = {
  connecting: '实时连接中…',
  open: '实时 ●',
  reconnecting: '实时连接中断，正在重连…',
  closed: '实时连接已断开',
};
