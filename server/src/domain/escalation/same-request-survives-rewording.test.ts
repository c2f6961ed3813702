import { describe, expect, it } from 'vitest';
import { isSameRequest, requestContent } from './same-request.ts';

const same = (earlier: string, later: string) => isSameRequest(requestContent(later), requestContent(earlier));

describe('the same request in other words is recognised', () => {
  it.each([
    // shorter, louder, restated
    ['how do i get a refund for last month', 'refund please'],
    ['how do i get a refund for last month', 'how do I get my money back for last month??'],
    ['не могу восстановить пароль от лк', 'пароль не восстанавливается'],
    ['на телевизоре нет сигнала', 'так нет сигнала же!!'],
    ['нет интернета', 'ИНТЕРНЕТА НЕТ'],
    ['у меня не работает интернет с утра', 'интернет не работает'],
    ['my internet is down', 'INTERNET STILL DOWN'],
    // typos, translit, the other language
    ['интернет не работает', 'интрнет не работаит'],
    ['интернет не работает', 'internet ne rabotaet'],
    ['не могу оплатить картой', 'oplata kartoi ne prohodit'],
    ['пароль не подходит', 'parol ne podhodit'],
    ['internet is not working', 'интернет не работает'],
    // paraphrase
    ['не могу оплатить картой', 'оплата картой не проходит'],
    ['не приходит смс с кодом', 'код из смс так и не пришёл'],
    ['роутер не раздаёт вайфай', 'wifi от роутера не работает'],
    ['очень медленный интернет', 'скорость интернета низкая'],
    ['списали деньги два раза', 'двойное списание денег'],
    ['wifi keeps dropping', 'the wifi disconnects all the time'],
    ['i was charged twice this month', 'double charge on my card this month'],
    ['how do i cancel my contract', 'i want to cancel the contract'],
    ["i can't log into my account", 'login to my account does not work'],
    ['the sms code never arrives', "still didn't get the sms code"],
    ['wifi signal is weak in the bedroom', 'bad wifi in my bedroom'],
    ['i forgot my password', "can't remember my password"],
    ['роутер не включается', 'роутер вообще не горит'],
  ])('%s ~ %s', (earlier, later) => expect(same(earlier, later)).toBe(true));
});

describe('a different question in the same category is not a repeat', () => {
  it.each([
    ['how to pay', 'apple pay?'],
    ['how to pay', 'where is my invoice'],
    ['Сколько стоит тариф 100 Мбит?', 'А плата за подключение есть?'],
    ['сколько стоит тариф 100 мбит', 'сколько стоит тариф 500 мбит'],
    ['как оплатить картой?', 'а через сбп можно?'],
    ['как оплатить картой?', 'где взять чек об оплате?'],
    ['как сменить пароль', 'как поменять email в кабинете'],
    ['интернет не работает', 'Роутер перезагрузил, индикатор WAN горит красным'],
    ['wifi слабый в спальне', 'тв приставка не включается'],
    ["what's the price of the 500 plan", 'is there an installation fee'],
    ['how do i reset my password', 'how do i change my email'],
    ['my wifi is slow', "my tv box won't turn on"],
    ['интернет не работает', 'телевидение не работает'],
    ['есть тариф без телевидения?', 'а скорость там какая будет?'],
  ])('%s ≠ %s', (earlier, later) => expect(same(earlier, later)).toBe(false));
});
