import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  type ThemeChoice,
  getToken,
  setThemeChoice,
  setToken,
  useThemeChoice,
} from '../lib/settings';

/** The admin token (for writes, and for reads when the server requires a token) and the theme. */
export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const theme = useThemeChoice();
  const [token, setDraft] = useState(getToken);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setDraft(getToken());
      setSaved(false);
      element.showModal();
    }
    if (!open && element.open) element.close();
  }, [open]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    setToken(token);
    setSaved(true);
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="settings-title" onClose={onClose}>
      <form onSubmit={save}>
        <h2 id="settings-title">Settings</h2>
        <div className="field field-block">
          <label htmlFor="admin-token">Admin token</label>
          <input
            id="admin-token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(event) => {
              setDraft(event.target.value);
              setSaved(false);
            }}
            aria-describedby="admin-token-help"
          />
          <p id="admin-token-help" className="help">
            Needed to record decisions and start syncs. The server prints it at first start and
            keeps it in <code>.lastmile/admin-token</code>. It stays in this browser only.
          </p>
        </div>
        <fieldset className="field field-block">
          <legend>Theme</legend>
          <div className="radio-row">
            {(['system', 'light', 'dark'] as ThemeChoice[]).map((choice) => (
              <label key={choice}>
                <input
                  type="radio"
                  name="theme"
                  value={choice}
                  checked={theme === choice}
                  onChange={() => setThemeChoice(choice)}
                />
                {choice[0].toUpperCase() + choice.slice(1)}
              </label>
            ))}
          </div>
        </fieldset>
        <p className="help" role="status">
          {saved ? 'Token saved.' : ''}
        </p>
        <div className="dialog-actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              setToken('');
              setDraft('');
              setSaved(false);
            }}
          >
            Forget token
          </button>
          <button type="submit" className="button button-primary">
            Save
          </button>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}
