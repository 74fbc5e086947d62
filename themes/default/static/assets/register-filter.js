// The register's list of tools, filtered as you type: an optional enhancement. Without this
// script the page shows the whole table, and the pages by organisation and by phase narrow it.
(function () {
  'use strict';
  var table = document.querySelector('table[data-register-filter]');
  if (!table || !table.tBodies.length) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var box = document.createElement('div');
  box.className = 'register-filter';
  var label = document.createElement('label');
  label.className = 'register-filter__label';
  label.htmlFor = 'register-filter-input';
  label.textContent = 'Filter the tools';
  var hint = document.createElement('p');
  hint.className = 'register-filter__hint';
  hint.id = 'register-filter-hint';
  hint.textContent = 'Type a name, an organisation, a phase or a word from what the tool supports.';
  var input = document.createElement('input');
  input.type = 'search';
  input.id = 'register-filter-input';
  input.className = 'register-filter__input';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.setAttribute('aria-describedby', 'register-filter-hint');
  input.setAttribute('aria-controls', table.id || '');
  var status = document.createElement('p');
  status.className = 'register-filter__status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  box.appendChild(label);
  box.appendChild(hint);
  box.appendChild(input);
  box.appendChild(status);
  // Above the table, and above the line that says it scrolls sideways on a narrow screen.
  var region = table.closest('.table-scroll') || table;
  var cue = region.previousElementSibling;
  if (cue && cue.classList.contains('table-scroll__cue')) region = cue;
  region.parentNode.insertBefore(box, region);
  var texts = rows.map(function (row) { return row.textContent.replace(/\s+/g, ' ').toLowerCase(); });
  var timer;
  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    status.textContent = shown + ' of ' + rows.length + (rows.length === 1 ? ' tool' : ' tools') + ' shown';
  }
  // The count is announced once typing pauses, not at every key.
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 200);
  });
  apply();
})();
