// Saving a downloaded file (a Blob from api.download) under a name of our
// choosing: a hidden <a download> clicked once. Shared by every 导出/下载
// button (ledger-files.js, dashboard-bulletin.js, the dashboard's 导出Excel).
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has the bytes once click() returns; the URL can go later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
