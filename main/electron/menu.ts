import { Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

type Locale = 'vi' | 'en';

const LABELS: Record<Locale, Record<string, string>> = {
  vi: { file: 'Tệp', quit: 'Thoát', edit: 'Sửa', view: 'Xem', reload: 'Tải lại', zoomIn: 'Phóng to', zoomOut: 'Thu nhỏ', resetZoom: 'Cỡ thật', help: 'Trợ giúp', dataFolder: 'Mở thư mục dữ liệu', fullscreen: 'Toàn màn hình' },
  en: { file: 'File', quit: 'Quit', edit: 'Edit', view: 'View', reload: 'Reload', zoomIn: 'Zoom in', zoomOut: 'Zoom out', resetZoom: 'Actual size', help: 'Help', dataFolder: 'Open data folder', fullscreen: 'Full screen' },
};

export function buildMenu(window: BrowserWindow, locale: Locale, dataDir: string): Menu {
  const l = LABELS[locale];
  const template: MenuItemConstructorOptions[] = [
    { label: l.file, submenu: [{ label: l.dataFolder, click: () => void shell.openPath(dataDir) }, { type: 'separator' }, { role: 'quit', label: l.quit }] },
    { label: l.edit, submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: l.view,
      submenu: [
        { label: l.reload, accelerator: 'CmdOrCtrl+R', click: () => window.webContents.reload() },
        { role: 'zoomIn', label: l.zoomIn },
        { role: 'zoomOut', label: l.zoomOut },
        { role: 'resetZoom', label: l.resetZoom },
        { role: 'togglefullscreen', label: l.fullscreen },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
