// 接警登记: a new incident. The type (grouped by class), the place (typed
// or clicked on the map of the user's units), the address, what happened
// and the caller. Before saving, open incidents within about 300 m in the
// last two hours are looked up (GET /api/incidents?bbox=…&from=…&status=…)
// and shown, so a repeat call can be recognised (仍然保存 saves anyway);
// the create answer's possible_duplicates go on to the detail page.
// The API's refusals are shown next to the field they name; nothing typed
// is lost.
import './workbench.css';
import { api, query } from '../api.js';
import { explain } from '../zh.js';
import { esc } from '../format.js';
import { reference } from '../taxonomy.js';
import { unitMap, L } from '../map.js';
import { handOverDuplicates, learnOffset, metres, minuteTime, OPEN_STATUSES, statusBadge } from '../workbench-common.js';

const NEAR_M = 300;
const WINDOW_H = 2;

// The form's field for a field the API names.
const FIELD_INPUT = {
  type: 'type',
  class: 'type',
  location: 'lat',
  'location.lat': 'lat',
  'location.lon': 'lon',
  address: 'address',
  description: 'description',
  reporter_phone: 'reporter_phone',
  reporter_name: 'reporter_name',
};

export async function render(container, ctx) {
  if (!ctx.can('incidents.write')) {
    container.innerHTML = '<p class="error">无权新建警情（需要警情录入权限）</p>';
    container.dataset.ready = '1';
    return;
  }
  const ref = await reference();
  const groups = ref.taxonomy.classes
    .map((c) => {
      const types = ref.taxonomy.types.filter((t) => t.class === c.code);
      return types.length
        ? `<optgroup label="${esc(c.name_zh)}">${types
            .map((t) => `<option value="${esc(t.code)}">${esc(t.name_zh)}</option>`)
            .join('')}</optgroup>`
        : '';
    })
    .join('');

  container.innerHTML = `
    <div class="wb">
      <div class="wb-head">
        <a href="#/incidents">← 警情工作台</a>
        <h2>接警登记</h2>
      </div>
      <div class="wb-intake">
        <form id="intake" class="card wb-form" novalidate autocomplete="off">
          <label>警情类型 *<select name="type" required><option value="">请选择警情类型</option>${groups}</select></label>
          <p class="field-error" data-for="type"></p>
          <label>发生地址<input name="address" maxlength="500" placeholder="如：解放路212号红旗小区" /></label>
          <p class="field-error" data-for="address"></p>
          <div class="wb-pair">
            <label>纬度<input name="lat" inputmode="decimal" placeholder="点击地图选取" /></label>
            <label>经度<input name="lon" inputmode="decimal" placeholder="点击地图选取" /></label>
          </div>
          <p class="field-error" data-for="lat"></p>
          <p class="field-error" data-for="lon"></p>
          <label>简要警情<textarea name="description" rows="4" maxlength="4000" placeholder="报警人称…"></textarea></label>
          <p class="field-error" data-for="description"></p>
          <div class="wb-pair">
            <label>报警人电话<input name="reporter_phone" inputmode="tel" maxlength="24" /></label>
            <label>报警人姓名<input name="reporter_name" maxlength="100" /></label>
          </div>
          <p class="field-error" data-for="reporter_phone"></p>
          <p class="field-error" data-for="reporter_name"></p>
          <p class="muted wb-hint">管辖单位按发生地点自动确定；报警时间为保存时刻。报警人信息加密保存，列表中脱敏显示。</p>
          <div data-testid="duplicates" class="wb-duplicates" hidden></div>
          <p class="form-error" role="alert"></p>
          <div class="row">
            <button type="submit" class="primary">保存</button>
            <a href="#/incidents">取消</a>
          </div>
        </form>
        <div class="card wb-mapcard">
          <div class="map wb-intake-map"></div>
          <p class="muted">点击地图设置发生地点（再次点击可移动）。</p>
        </div>
      </div>
    </div>`;

  const form = container.querySelector('#intake');
  const dupBox = container.querySelector('[data-testid=duplicates]');
  const formError = form.querySelector('.form-error');
  const submitButton = form.querySelector('button[type=submit]');

  const fieldError = (name, text) => {
    const p = form.querySelector(`.field-error[data-for="${name}"]`);
    if (p) p.textContent = text;
    const input = form.elements[name];
    if (input) input.classList.toggle('invalid', !!text);
    return !!p;
  };
  const clearErrors = () => {
    for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
    for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
    formError.textContent = '';
  };

  // Checks as one types: numbers in range, a phone of digits.
  const checkLat = () => {
    const v = form.elements.lat.value.trim();
    const n = Number(v);
    fieldError('lat', v && (!Number.isFinite(n) || n < -90 || n > 90) ? '纬度应为 -90 到 90 之间的数' : '');
  };
  const checkLon = () => {
    const v = form.elements.lon.value.trim();
    const n = Number(v);
    fieldError('lon', v && (!Number.isFinite(n) || n < -180 || n > 180) ? '经度应为 -180 到 180 之间的数' : '');
  };
  const checkPhone = () => {
    const v = form.elements.reporter_phone.value;
    fieldError('reporter_phone', v && !/^[0-9+\- ]*$/.test(v) ? '电话只能包含数字、+、- 和空格' : '');
  };
  form.elements.lat.addEventListener('input', () => {
    checkLat();
    placeMarker(false);
  });
  form.elements.lon.addEventListener('input', () => {
    checkLon();
    placeMarker(false);
  });
  form.elements.reporter_phone.addEventListener('input', checkPhone);
  form.elements.type.addEventListener('change', () => {
    if (form.elements.type.value) fieldError('type', '');
  });

  // The map: a click sets the place and the marker.
  let map = null;
  let marker = null;
  let nearLayer = null;
  const point = () => {
    const lat = form.elements.lat.value.trim();
    const lon = form.elements.lon.value.trim();
    if (!lat || !lon) return null;
    const p = { lat: Number(lat), lon: Number(lon) };
    return Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 ? p : null;
  };
  const placeMarker = (pan) => {
    if (!map) return;
    const p = point();
    if (!p) {
      if (marker) marker.remove();
      marker = null;
      return;
    }
    if (!marker) marker = L.circleMarker([p.lat, p.lon], { radius: 9, color: '#cf1322', weight: 3, fillOpacity: 0.5 }).addTo(map);
    else marker.setLatLng([p.lat, p.lon]);
    if (pan) map.panTo([p.lat, p.lon]);
  };
  try {
    map = await unitMap(container.querySelector('.wb-intake-map'), ref.units);
    map.on('click', (e) => {
      form.elements.lat.value = e.latlng.lat.toFixed(6);
      form.elements.lon.value = e.latlng.lng.toFixed(6);
      checkLat();
      checkLon();
      placeMarker(false);
    });
  } catch (e) {
    container.querySelector('.wb-mapcard p').textContent = '地图加载失败：' + e.message;
  }

  const body = () => {
    const v = (n) => form.elements[n].value.trim();
    const out = { type: v('type') };
    const lat = v('lat');
    const lon = v('lon');
    if (lat || lon) out.location = { lat: lat === '' ? NaN : Number(lat), lon: lon === '' ? NaN : Number(lon) };
    for (const n of ['address', 'description', 'reporter_phone', 'reporter_name']) if (v(n)) out[n] = v(n);
    return out;
  };

  // Open incidents near the point in the last hours (the repeat calls of
  // the same event usually come within minutes).
  const nearby = async (p) => {
    const dLat = NEAR_M / 111320;
    const dLon = NEAR_M / (111320 * Math.cos((p.lat * Math.PI) / 180));
    const params = {
      bbox: [p.lon - dLon, p.lat - dLat, p.lon + dLon, p.lat + dLat].map((x) => x.toFixed(6)).join(','),
      from: new Date(Date.now() - WINDOW_H * 3600 * 1000).toISOString().slice(0, 19) + 'Z',
      status: OPEN_STATUSES.join(','),
      limit: 20,
    };
    const page = await api.get('/api/incidents' + query(params));
    return page.items || [];
  };

  const showNearby = (items, type) => {
    if (nearLayer) nearLayer.remove();
    nearLayer = map ? L.layerGroup().addTo(map) : null;
    for (const i of items)
      if (nearLayer && i.location)
        L.circleMarker([i.location.lat, i.location.lon], { radius: 6, color: '#d46b08', weight: 2, fillOpacity: 0.4 })
          .bindTooltip(`#${i.id} ${i.type ? i.type.name_zh : ''}`)
          .addTo(nearLayer);
    dupBox.hidden = false;
    dupBox.innerHTML = `
      <h3>可能重复：附近 ${NEAR_M} 米内 ${WINDOW_H} 小时内有 ${items.length} 起未办结警情</h3>
      <ul class="wb-duplist">${items
        .map(
          (i) => `<li>
            <a href="#/incidents/${esc(i.id)}" target="_blank" rel="noopener">#${esc(i.id)}</a>
            <span class="${i.type && i.type.code === type ? 'wb-same' : ''}">${esc(i.type ? i.type.name_zh : '')}</span>
            ${statusBadge(i.status, i.status_zh)}
            <span class="muted">${esc(minuteTime(i.reported_at))}</span>
            <span>${esc(i.address)}</span>
          </li>`,
        )
        .join('')}</ul>
      <p class="muted">如为同一事件的重复报警，请返回并在原警情中处理；确认不是同一事件再继续保存。</p>
      <div class="row">
        <button type="button" class="primary wb-save-anyway">仍然保存</button>
        <button type="button" class="wb-dup-cancel">返回修改</button>
      </div>`;
    dupBox.querySelector('.wb-save-anyway').addEventListener('click', () => {
      confirmed = signature();
      save();
    });
    dupBox.querySelector('.wb-dup-cancel').addEventListener('click', () => {
      dupBox.hidden = true;
      dupBox.innerHTML = '';
    });
  };

  // What the duplicates were checked for: a change of place or type checks again.
  const signature = () => `${form.elements.type.value}|${form.elements.lat.value.trim()}|${form.elements.lon.value.trim()}`;
  let confirmed = '';
  let busy = false;

  const save = async () => {
    if (busy) return;
    busy = true;
    submitButton.disabled = true;
    clearErrors();
    try {
      const created = await api.post('/api/incidents', body());
      learnOffset(created.reported_at);
      handOverDuplicates(created.id, created.possible_duplicates);
      location.hash = `#/incidents/${created.id}`;
    } catch (err) {
      showError(err);
    } finally {
      busy = false;
      submitButton.disabled = false;
    }
  };

  const showError = (err) => {
    const name = FIELD_INPUT[err.field];
    if (!(name && fieldError(name, explain(err)))) formError.textContent = explain(err);
    const input = name && form.elements[name];
    if (input) input.focus();
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearErrors();
    checkLat();
    checkLon();
    checkPhone();
    if (!form.elements.type.value) fieldError('type', '请选择警情类型');
    const lat = form.elements.lat.value.trim();
    const lon = form.elements.lon.value.trim();
    if (!!lat !== !!lon) fieldError(lat ? 'lon' : 'lat', '纬度和经度需同时填写');
    const first = form.querySelector('.invalid');
    if (first) {
      first.focus();
      return;
    }
    const p = point();
    if (p && confirmed !== signature()) {
      busy = true;
      submitButton.disabled = true;
      let items = [];
      try {
        items = await nearby(p);
      } catch (err) {
        formError.textContent = '查重失败：' + explain(err);
      } finally {
        busy = false;
        submitButton.disabled = false;
      }
      if (items.length) {
        showNearby(items, form.elements.type.value);
        dupBox.querySelector('.wb-save-anyway').focus();
        return;
      }
    }
    dupBox.hidden = true;
    save();
  });

  form.elements.type.focus();
  container.dataset.ready = '1';
  return () => {
    if (map) map.remove();
  };
}
