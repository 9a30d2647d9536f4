// A deterministic generator of realistic register entries (văn bản đến / đi) for the benchmarks:
// Vietnamese administrative subjects (trích yếu), notations, agencies, signers and short body
// texts, built from a seeded PRNG so that every run inserts exactly the same documents.
// A few names are made rare on purpose (see RARE) so that the search benchmark has selective
// queries next to the very common ones.
import { DOCUMENT_TYPES, type DocumentTypeCode } from '../../main/common/doctypes.js';
import { toVnIso, vnDate, vnYear } from '../../main/common/dates.js';
import type { NewDocument } from '../../main/core/registry/documents.js';

/** mulberry32: a small, fast, seedable 32-bit PRNG; plenty for test data. */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Picks from [item, weight] pairs; the cumulative table is built once. */
class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(pairs: ReadonlyArray<readonly [T, number]>) {
    let sum = 0;
    for (const [item, weight] of pairs) {
      sum += weight;
      this.items.push(item);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }
  pick(rng: Prng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const PROVINCES = [
  'Hà Nội', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ', 'Huế', 'Quảng Trị', 'Quảng Ninh', 'Đắk Lắk', 'Điện Biên', 'Lai Châu',
  'Lào Cai', 'Sơn La', 'Cao Bằng', 'Lạng Sơn', 'Tuyên Quang', 'Thái Nguyên', 'Phú Thọ', 'Bắc Ninh', 'Hưng Yên', 'Ninh Bình',
  'Thanh Hóa', 'Nghệ An', 'Hà Tĩnh', 'Quảng Ngãi', 'Gia Lai', 'Khánh Hòa', 'Lâm Đồng', 'Đồng Nai', 'Tây Ninh', 'Đồng Tháp',
  'Vĩnh Long', 'An Giang', 'Cà Mau',
] as const;
const CITIES = new Set(['Hà Nội', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ', 'Huế']);

const COMMUNES = [
  'xã Tân Lập', 'xã Hòa Bình', 'xã Đồng Tâm', 'xã Phú Lộc', 'xã Quảng Phú', 'xã Cam Lộ', 'xã Vĩnh Linh', 'xã Hướng Hóa',
  'xã Mường Ảng', 'xã Tủa Chùa', 'xã Krông Pắc', 'xã Ea Kar', 'xã Cư M’gar', 'xã Yên Thế', 'xã Tam Đảo', 'xã Lục Yên',
  'xã Nghĩa Đàn', 'xã Diễn Châu', 'xã Thạch Hà', 'xã Kỳ Anh', 'xã Bình Sơn', 'xã Đức Trọng', 'xã Bảo Lâm', 'xã Châu Thành',
  'xã Thới Bình', 'xã Cái Nước', 'phường Hải Châu', 'phường Ba Đình', 'phường Hoàn Kiếm', 'phường Đông Hà', 'phường Thuận Hóa',
  'phường Ninh Kiều', 'phường Buôn Ma Thuột', 'phường Điện Biên Phủ',
] as const;

const FAMILY = new Weighted<string>([
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 5], ['Huỳnh', 4], ['Phan', 4.5], ['Vũ', 4], ['Võ', 3],
  ['Đặng', 2], ['Bùi', 2], ['Đỗ', 1.5], ['Hồ', 1.3], ['Ngô', 1.3], ['Dương', 1], ['Lý', 0.5], ['Đinh', 1], ['Trương', 1],
]);
const MALE_MIDDLE = ['Văn', 'Đức', 'Minh', 'Hữu', 'Quốc', 'Thanh', 'Công', 'Xuân', 'Đình', 'Mạnh'] as const;
const FEMALE_MIDDLE = ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Hồng'] as const;
const MALE_GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Định', 'Giang', 'Hải', 'Hùng', 'Khánh', 'Long', 'Nam', 'Phong', 'Phúc', 'Quang', 'Sơn', 'Thắng', 'Trung', 'Tuấn', 'Việt', 'Đạt', 'Hiếu', 'Lâm'] as const;
const FEMALE_GIVEN = ['Bình', 'Hà', 'Hạnh', 'Hương', 'Lan', 'Mai', 'Nga', 'Tâm', 'Thảo', 'Vân', 'Yến', 'Hằng', 'Linh', 'Trang', 'Phương', 'Dung'] as const;

const POSITIONS = ['Chủ tịch', 'Phó Chủ tịch', 'Giám đốc', 'Phó Giám đốc', 'Chánh Văn phòng', 'Trưởng phòng', 'Bộ trưởng', 'Thứ trưởng'] as const;

interface AgencyKind {
  /** The name, where {P} is a province and {p} its prefix ("tỉnh" / "thành phố"). */
  name: string;
  abbr: string;
  weight: number;
}
const AGENCIES: AgencyKind[] = [
  { name: 'UBND {p} {P}', abbr: 'UBND', weight: 30 },
  { name: 'Sở Tài chính {p} {P}', abbr: 'STC', weight: 8 },
  { name: 'Sở Nội vụ {p} {P}', abbr: 'SNV', weight: 8 },
  { name: 'Sở Giáo dục và Đào tạo {p} {P}', abbr: 'SGDĐT', weight: 5 },
  { name: 'Sở Y tế {p} {P}', abbr: 'SYT', weight: 5 },
  { name: 'Sở Xây dựng {p} {P}', abbr: 'SXD', weight: 4 },
  { name: 'Sở Nông nghiệp và Môi trường {p} {P}', abbr: 'SNNMT', weight: 4 },
  { name: 'Sở Khoa học và Công nghệ {p} {P}', abbr: 'SKHCN', weight: 4 },
  { name: 'Công an {p} {P}', abbr: 'CAT', weight: 3 },
  { name: 'Bộ Chỉ huy Quân sự {p} {P}', abbr: 'BCH', weight: 2 },
  { name: 'Bộ Nội vụ', abbr: 'BNV', weight: 3 },
  { name: 'Bộ Tài chính', abbr: 'BTC', weight: 3 },
  { name: 'Bộ Khoa học và Công nghệ', abbr: 'BKHCN', weight: 2 },
  { name: 'Văn phòng Chính phủ', abbr: 'VPCP', weight: 2 },
  { name: 'Thủ tướng Chính phủ', abbr: 'TTg', weight: 1 },
];
const AGENCY_PICK = new Weighted(AGENCIES.map((a) => [a, a.weight] as const));
const UNITS = ['VP', 'KT', 'NC', 'TH', 'KGVX', 'TCKH', 'XD'] as const;

// How often each type arrives or leaves: công văn dominate a register, then decisions,
// reports, plans, notices and invitations; every other type still occurs.
const TYPE_WEIGHTS: Partial<Record<DocumentTypeCode, number>> = {
  CV: 40, QD: 14, BC: 9, KH: 7, TB: 6, GM: 6, TTR: 4, HD: 2, NQ: 1.5, CT: 1, CD: 1, QC: 0.5, QYD: 0.5, CTR: 0.7, PA: 0.5,
  DEA: 0.5, DA: 0.4, BB: 1, HDO: 0.5, GGT: 0.5,
};
const TYPE_PICK = new Weighted(DOCUMENT_TYPES.map((t) => [t, TYPE_WEIGHTS[t.code] ?? 0.15] as const));

// Periods, each followed by " năm {Y}" in a subject.
const QUARTERS = ['quý I', 'quý II', 'quý III', 'quý IV', '6 tháng đầu', '9 tháng', 'tháng 10', 'tháng 12'] as const;

const CV_TOPICS = [
  'triển khai chuyển đổi số trong cơ quan nhà nước',
  'tăng cường công tác phòng cháy, chữa cháy trong mùa hanh khô',
  'góp ý dự thảo Nghị định quy định chi tiết một số điều của Luật Đất đai',
  'đôn đốc giải ngân vốn đầu tư công năm {Y}',
  'cử cán bộ tham dự lớp tập huấn nghiệp vụ văn thư, lưu trữ',
  'rà soát, sắp xếp đơn vị hành chính cấp xã',
  'tổ chức các hoạt động kỷ niệm Ngày Quốc khánh 2/9',
  'chấn chỉnh kỷ luật, kỷ cương hành chính trong thi hành công vụ',
  'bảo đảm an toàn thông tin mạng trong dịp Tết Nguyên đán',
  'cung cấp thông tin phục vụ xây dựng báo cáo kinh tế - xã hội',
  'triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư',
  'thực hiện chế độ tiền lương đối với cán bộ, công chức, viên chức',
  'chủ động ứng phó với bão số 3 và mưa lũ',
  'tăng cường quản lý an toàn thực phẩm',
  'đẩy mạnh thanh toán không dùng tiền mặt',
  'tiếp nhận và xử lý văn bản điện tử trên hệ thống quản lý văn bản và điều hành',
  'sử dụng chữ ký số chuyên dùng Chính phủ',
  'quyết toán kinh phí sự nghiệp năm {Y}',
  'phòng, chống dịch sốt xuất huyết',
  'giải quyết kiến nghị của cử tri {P}',
] as const;

const KH_TOPICS = [
  'phòng, chống thiên tai', 'cải cách hành chính', 'chuyển đổi số', 'tuyên truyền, phổ biến, giáo dục pháp luật',
  'kiểm tra công tác văn thư, lưu trữ', 'phát triển kinh tế - xã hội', 'đào tạo, bồi dưỡng cán bộ, công chức',
  'phòng, chống dịch bệnh trên gia súc, gia cầm', 'thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới',
  'thanh tra, kiểm tra', 'bảo vệ môi trường', 'phát triển du lịch', 'tổ chức kỳ thi tốt nghiệp trung học phổ thông',
] as const;

const BC_TOPICS = [
  'cải cách hành chính', 'công tác phòng, chống tham nhũng', 'giải ngân vốn đầu tư công', 'chuyển đổi số',
  'công tác tiếp công dân, giải quyết khiếu nại, tố cáo', 'công tác văn thư, lưu trữ', 'nhiệm vụ phát triển kinh tế - xã hội',
  'thu, chi ngân sách nhà nước', 'công tác phòng, chống thiên tai và tìm kiếm cứu nạn', 'Đề án 06',
] as const;

const FACILITIES = [
  'trường mầm non', 'trường tiểu học', 'trường trung học cơ sở', 'trạm y tế', 'nhà văn hóa', 'đường giao thông nông thôn',
  'kè chống sạt lở bờ sông', 'trụ sở làm việc', 'hệ thống thoát nước', 'cầu dân sinh', 'chợ',
] as const;

const MEETINGS = [
  'giao ban công tác tháng {m}', 'về tiến độ giải phóng mặt bằng', 'về công tác cải cách hành chính',
  'về chuyển đổi số', 'về phòng, chống thiên tai', 'về giải ngân vốn đầu tư công', 'sơ kết {Q}',
] as const;

const TRAININGS = [
  'tập huấn sử dụng chữ ký số', 'tập huấn nghiệp vụ văn thư, lưu trữ', 'bồi dưỡng kiến thức quốc phòng và an ninh',
  'tập huấn phần mềm quản lý văn bản', 'bồi dưỡng kỹ năng lãnh đạo, quản lý',
] as const;

const LAWS = [
  'Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025',
  'Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015',
  'Luật Đầu tư công ngày 29 tháng 11 năm 2024',
  'Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013',
  'Luật Giao dịch điện tử ngày 22 tháng 6 năm 2023',
  'Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư',
  'Luật Cán bộ, công chức ngày 24 tháng 6 năm 2025',
] as const;

const ACTIONS = [
  'khẩn trương triển khai thực hiện', 'nghiêm túc quán triệt và tổ chức thực hiện', 'rà soát, tổng hợp số liệu',
  'phối hợp chặt chẽ với các cơ quan liên quan', 'chủ động bố trí kinh phí',
] as const;

/**
 * Names that appear in very few documents (about one in RARE_PERIOD each, at fixed indices), so
 * that the search benchmark has selective queries. Real names, chosen so that their folded
 * words do not start many other words (Sín Thầu is the westernmost commune, in Điện Biên).
 */
export const RARE = {
  places: ['xã Sín Thầu', 'xã Ka Lăng'],
  people: ['Lò Văn Pấng', 'Hoàng Thị Xuyến'],
} as const;
const RARE_PERIOD = 20_011;

// ---------------------------------------------------------------------------------------------
// Generator

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Working days (Monday to Friday) from 2024 to 2026, as the UTC midnight of each date. */
const WORKING_DAYS: number[] = [];
for (let t = Date.UTC(2024, 0, 2); t <= Date.UTC(2026, 11, 31); t += DAY) {
  const weekday = new Date(t).getUTCDay();
  if (weekday !== 0 && weekday !== 6) WORKING_DAYS.push(t);
}

export interface CorpusOptions {
  count: number;
  seed?: number;
  /** Fraction of documents with a body text (the PDF's text layer). */
  bodyFraction?: number;
}

export class Corpus {
  private readonly rng: Prng;
  private readonly count: number;
  private readonly bodyFraction: number;
  private index = 0;
  /** Next number per register (direction + year): số đến for incoming, số văn bản for outgoing. */
  private readonly counters = new Map<string, number>();
  /** The local agency: the outgoing documents' author. */
  private readonly localProvince = 'Quảng Trị';
  /** A few notations actually generated, for the notation queries. */
  readonly sampledNotations: string[] = [];

  constructor(options: CorpusOptions) {
    this.rng = new Prng(options.seed ?? 20260226);
    this.count = options.count;
    this.bodyFraction = options.bodyFraction ?? 1 / 3;
  }

  get remaining(): number {
    return this.count - this.index;
  }

  /** The next document, in registration order (registration times only move forward). */
  next(): NewDocument {
    const i = this.index++;
    const rng = this.rng;
    const direction = rng.chance(0.55) ? 'in' : 'out';
    // Documents are registered day after day, during office hours (07:30 to 17:00 in Vietnam).
    const day = WORKING_DAYS[Math.floor((WORKING_DAYS.length * i) / this.count)]!;
    const t = day + (7.5 - 7) * HOUR + rng.int(0, 9.5 * HOUR); // UTC midnight + 07:30 − the +07:00 offset
    const registered = new Date(t);
    const year = vnYear(registered);
    const type = TYPE_PICK.pick(rng);
    const registerKey = `${direction}${year}`;
    const number = (this.counters.get(registerKey) ?? 0) + 1;
    this.counters.set(registerKey, number);

    const province = direction === 'out' ? this.localProvince : rng.pick(PROVINCES);
    const agency = direction === 'out' ? AGENCIES[0]! : AGENCY_PICK.pick(rng);
    const authorAgency = fillAgency(agency.name, province);
    const notationNumber = direction === 'out' ? number : rng.int(1, 4500);
    const notation = type.abbreviation
      ? `${notationNumber}/${type.abbreviation}-${agency.abbr}`
      : `${notationNumber}/${agency.abbr}-${rng.pick(UNITS)}`;
    if (i % 2503 === 17) this.sampledNotations.push(notation);

    const rarePlace = i % RARE_PERIOD === 101 ? RARE.places[0] : i % RARE_PERIOD === 7_001 ? RARE.places[1] : undefined;
    const rarePerson = i % RARE_PERIOD === 3_001 ? RARE.people[0] : i % RARE_PERIOD === 13_001 ? RARE.people[1] : undefined;

    const signerName = rarePerson ?? this.person();
    const subject = this.subject(type.code, type.vi, year, province, rarePlace);
    const documentDate = vnDate(new Date(t - (direction === 'in' ? rng.int(0, 6) * DAY : 0)));
    const signerPosition = rng.pick(POSITIONS);
    const bodyText = rng.chance(this.bodyFraction) ? this.body(authorAgency, year, subject) : undefined;
    const priority = rng.chance(0.9) ? 'normal' : rng.pick(['urgent', 'very_urgent', 'flash'] as const);
    const state =
      direction === 'in' ? (rng.chance(0.8) ? 'registered' : 'received') : rng.pick(['draft', 'signed', 'numbered', 'issued', 'issued', 'issued'] as const);
    const recipients =
      direction === 'out' ? Array.from({ length: rng.int(1, 3) }, () => fillAgency(AGENCY_PICK.pick(rng).name, rng.pick(PROVINCES))) : undefined;

    return {
      direction,
      year,
      typeCode: type.code,
      subject,
      state,
      notation,
      number,
      documentDate,
      authorAgency,
      signerName,
      signerPosition,
      signerCompetence: signerPosition.startsWith('Phó') ? 'KT.' : '',
      priority,
      dueDate: priority === 'normal' ? null : vnDate(new Date(t + rng.int(1, 10) * DAY)),
      recipients,
      bodyText,
      registeredAt: toVnIso(registered),
    };
  }

  private person(): string {
    const rng = this.rng;
    const female = rng.chance(0.45);
    return `${FAMILY.pick(rng)} ${rng.pick(female ? FEMALE_MIDDLE : MALE_MIDDLE)} ${rng.pick(female ? FEMALE_GIVEN : MALE_GIVEN)}`;
  }

  private subject(code: DocumentTypeCode, typeName: string, year: number, province: string, rarePlace: string | undefined): string {
    const rng = this.rng;
    const fill = (s: string) =>
      s
        .replaceAll('{Y}', String(year))
        .replaceAll('{P}', rng.pick(PROVINCES))
        .replaceAll('{m}', String(rng.int(1, 12)))
        .replaceAll('{Q}', rng.pick(QUARTERS));
    const commune = () => `${rarePlace ?? rng.pick(COMMUNES)}, ${provincePrefix(province)} ${province}`;
    let text: string;
    switch (code) {
      case 'CV':
        text = `Về việc ${fill(rng.pick(CV_TOPICS))}`;
        if (rng.chance(0.2)) text += ` trên địa bàn ${commune()}`;
        else if (rng.chance(0.15)) text = `V/v cử cán bộ tham dự ${rng.pick(TRAININGS)}`;
        break;
      case 'KH':
        text = `Kế hoạch ${rng.pick(KH_TOPICS)} năm ${year}`;
        break;
      case 'BC':
        text = rng.chance(0.7)
          ? `Báo cáo kết quả thực hiện ${rng.pick(BC_TOPICS)} ${rng.pick(QUARTERS)} năm ${year}`
          : `Báo cáo tình hình ${rng.pick(BC_TOPICS)} tháng ${rng.int(1, 12)} năm ${year}`;
        break;
      case 'QD': {
        const r = rng.next();
        if (r < 0.35) text = `Quyết định phê duyệt dự án đầu tư xây dựng ${rng.pick(FACILITIES)} ${commune()}`;
        else if (r < 0.6) text = `Về việc bổ nhiệm ông (bà) ${this.person()} giữ chức vụ ${rng.pick(POSITIONS)} ${fillAgency(AGENCY_PICK.pick(rng).name, province)}`;
        else if (r < 0.8) text = `Quyết định ban hành Quy chế ${rng.pick(['làm việc', 'quản lý, sử dụng chữ ký số', 'công tác văn thư, lưu trữ', 'chi tiêu nội bộ'])} của ${fillAgency(AGENCY_PICK.pick(rng).name, province)}`;
        else text = `Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong ${rng.pick(KH_TOPICS)} năm ${year - 1}`;
        break;
      }
      case 'TB':
        text = rng.chance(0.6)
          ? `Thông báo kết luận của ${rng.pick(POSITIONS)} ${this.person()} tại cuộc họp ${fill(rng.pick(MEETINGS))}`
          : `Thông báo lịch tiếp công dân tháng ${rng.int(1, 12)} năm ${year}`;
        break;
      case 'GM':
        text = `Giấy mời dự hội nghị ${fill(rng.pick(MEETINGS))}${rarePlace ? ` tại ${rarePlace}` : ''}`;
        break;
      case 'TTR':
        text = `Tờ trình đề nghị phê duyệt chủ trương đầu tư ${rng.pick(FACILITIES)} ${commune()}`;
        break;
      case 'CT':
        text = `Chỉ thị về tăng cường ${rng.pick(KH_TOPICS)} năm ${year}`;
        break;
      case 'NQ':
        text = `Nghị quyết về nhiệm vụ ${rng.pick(KH_TOPICS)} năm ${year}`;
        break;
      case 'CD':
        text = `Công điện về việc chủ động ứng phó với ${rng.pick(['bão số 3', 'mưa lũ', 'rét đậm, rét hại', 'nắng nóng, hạn hán'])} tại ${province}`;
        break;
      default:
        text = `${typeName} ${rng.pick(KH_TOPICS)} năm ${year}`;
    }
    // A rare place must reach the subject whatever the template chose.
    if (rarePlace && !text.includes(rarePlace)) text += ` (${rarePlace})`;
    return text;
  }

  private body(authorAgency: string, year: number, subject: string): string {
    const rng = this.rng;
    return (
      `Căn cứ ${rng.pick(LAWS)}; căn cứ ${rng.pick(LAWS)}. ` +
      `${authorAgency} đề nghị các cơ quan, đơn vị ${rng.pick(ACTIONS)} nội dung ${subject.charAt(0).toLowerCase()}${subject.slice(1)}, ` +
      `báo cáo kết quả về ${fillAgency(AGENCY_PICK.pick(rng).name, rng.pick(PROVINCES))} trước ngày ${rng.int(1, 28)}/${rng.int(1, 12)}/${year}.`
    );
  }
}

function provincePrefix(province: string): string {
  return CITIES.has(province) ? 'thành phố' : 'tỉnh';
}

function fillAgency(template: string, province: string): string {
  return template.replace('{p}', provincePrefix(province)).replace('{P}', province);
}
